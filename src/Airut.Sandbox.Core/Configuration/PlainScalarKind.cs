namespace Airut.Sandbox.Core.Configuration;

/// <summary>The type a plain (unquoted, untagged) scalar resolves to.</summary>
internal enum PlainScalarKind
{
    /// <summary>Text.</summary>
    String,

    /// <summary><c>~</c>, <c>null</c> or nothing.</summary>
    Null,

    /// <summary><c>true</c>, <c>yes</c>, <c>on</c>, ...</summary>
    Boolean,

    /// <summary><c>42</c>, <c>0x10</c>, <c>0o17</c>, <c>1_000</c>, <c>1:30</c>.</summary>
    Integer,

    /// <summary><c>1.0</c>, <c>1e3</c>, <c>.inf</c>, <c>.nan</c>.</summary>
    Float,

    /// <summary><c>2024-01-01</c> and the YAML 1.1 date-time forms.</summary>
    Timestamp,
}
