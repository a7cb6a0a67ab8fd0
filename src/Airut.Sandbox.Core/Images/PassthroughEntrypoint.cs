using System.Text;

namespace Airut.Sandbox.Core.Images;

/// <summary>
/// The passthrough entrypoint (IMG-20, TOP-15), mounted read-only into the client container instead of being
/// baked into a second image: it exports <c>IS_SANDBOX=1</c>, adds the per-run CA to the system trust store
/// when the CA file is mounted (quietly unless <c>AIRUT_VERBOSE=1</c>; failure ignored), then
/// <c>exec "$@"</c> so arguments and exit code are the command's own. It prints nothing when not verbose.
/// POSIX <c>sh</c>, so images without bash work too.
/// </summary>
public static class PassthroughEntrypoint
{
    /// <summary>Where the script is mounted in the client container.</summary>
    public const string ContainerPath = "/usr/local/lib/airut/entrypoint.sh";

    /// <summary>Where the per-run CA certificate is mounted in the client container.</summary>
    public const string CaCertificatePath = "/usr/local/share/ca-certificates/mitmproxy-ca.crt";

    /// <summary>The entrypoint argv: the script run by <c>/bin/sh</c>, so it needs no executable bit.</summary>
    public static IReadOnlyList<string> Entrypoint { get; } = ["/bin/sh", ContainerPath];

    /// <summary>The script text.</summary>
    public static string Script { get; } =
        "#!/bin/sh\n" +
        "# Airut sandbox passthrough entrypoint: trust the per-run CA, then run the command unchanged.\n" +
        "set -eu\n" +
        "export IS_SANDBOX=1\n" +
        $"if [ -f {CaCertificatePath} ] && command -v update-ca-certificates >/dev/null 2>&1; then\n" +
        "  if [ \"${AIRUT_VERBOSE:-}\" = \"1\" ]; then\n" +
        "    update-ca-certificates 1>&2 || true\n" +
        "  else\n" +
        "    update-ca-certificates >/dev/null 2>&1 || true\n" +
        "  fi\n" +
        "fi\n" +
        "exec \"$@\"\n";

    /// <summary>The script as UTF-8 bytes.</summary>
    public static ReadOnlyMemory<byte> ScriptBytes { get; } = Encoding.UTF8.GetBytes(Script);
}
