using System.Text;

namespace Airut.Sandbox.Core.Images;

/// <summary>
/// The passthrough entrypoint (IMG-20), mounted read-only into the client container instead of being baked into a
/// second image: it exports <c>IS_SANDBOX=1</c>, then <c>exec "$@"</c> so arguments and exit code are the command's
/// own. It prints nothing. POSIX <c>sh</c>, so images without bash work too.
/// </summary>
/// <remarks>
/// [DEV] of IMG-20/TOP-15: the entrypoint no longer runs <c>update-ca-certificates</c>, which regenerated the bundle
/// and rehashed every root on every run (about 1 s, most of a run's start-up). Every TLS connection the command can
/// make ends at the proxy, whose leaves come from the per-run CA, so the container needs no other root: the runner
/// mounts the CA certificate read-only over the system bundles (<see cref="SystemTrustBundlePaths"/>) as well as at
/// <see cref="CaCertificatePath"/>. Tools that read the system store (curl, git, OpenSSL, GnuTLS, Python, Go) trust
/// the run CA with no work in the container, also when the image's user is not root; stores that only
/// <c>update-ca-certificates</c> hooks fill (a Java keystore) are not covered.
/// </remarks>
public static class PassthroughEntrypoint
{
    /// <summary>Where the script is mounted in the client container.</summary>
    public const string ContainerPath = "/usr/local/lib/airut/entrypoint.sh";

    /// <summary>Where the per-run CA certificate is mounted in the client container (TOP-13; the CA variables point here).</summary>
    public const string CaCertificatePath = "/usr/local/share/ca-certificates/mitmproxy-ca.crt";

    /// <summary>
    /// The system CA bundles the per-run CA certificate replaces, read-only: Debian, Ubuntu, Alpine and Arch
    /// (<c>/etc/ssl/certs/ca-certificates.crt</c>, also OpenSSL's default file there), Fedora and RHEL
    /// (<c>/etc/pki/tls/certs/ca-bundle.crt</c>). A runtime creates a missing target, so every image gets both.
    /// </summary>
    public static IReadOnlyList<string> SystemTrustBundlePaths { get; } = ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt"];

    /// <summary>The entrypoint argv: the script run by <c>/bin/sh</c>, so it needs no executable bit.</summary>
    public static IReadOnlyList<string> Entrypoint { get; } = ["/bin/sh", ContainerPath];

    /// <summary>The script text.</summary>
    public static string Script { get; } =
        "#!/bin/sh\n" +
        "# Airut sandbox passthrough entrypoint: the run CA is already mounted over the trust store; run the command unchanged.\n" +
        "set -eu\n" +
        "export IS_SANDBOX=1\n" +
        "exec \"$@\"\n";

    /// <summary>The script as UTF-8 bytes.</summary>
    public static ReadOnlyMemory<byte> ScriptBytes { get; } = Encoding.UTF8.GetBytes(Script);
}
