namespace Airut.Sandbox.Abstractions.Credentials;

/// <summary>Swaps masked-secret surrogates for real values on requests to in-scope hosts and strips
/// credentials the proxy did not issue (credentials-cli.md §2).</summary>
public interface ICredentialMasker
{
    /// <summary>Rewrites the request's headers in place. Never touches the body or the query.</summary>
    MaskingResult Apply(ProxiedRequest request);
}

/// <summary>What the masker did, for the network log (<c>[masked: N]</c>, <c>[dropped: N]</c>).</summary>
/// <param name="Masked">Header entries in which a surrogate was replaced.</param>
/// <param name="Dropped">Header entries stripped as foreign credentials.</param>
/// <param name="Collapsed">Duplicate header entries collapsed after a replacement.</param>
/// <param name="Notes">Extra log lines (<c>STRIPPED …</c>, <c>COLLAPSED …</c>) without secret values.</param>
public sealed record MaskingResult(int Masked, int Dropped, int Collapsed, IReadOnlyList<string> Notes)
{
    /// <summary>Nothing was changed.</summary>
    public static MaskingResult None { get; } = new(0, 0, 0, []);
}
