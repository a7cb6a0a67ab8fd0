namespace Airut.Sandbox.Core.NetworkLog;

/// <summary>The first word of an access line (LOG-5).</summary>
public enum NetworkLogVerdict
{
    /// <summary><c>ALLOWED</c>: file only.</summary>
    Allowed,

    /// <summary><c>BLOCKED</c>: file and stdout (SEC-39).</summary>
    Blocked,
}
