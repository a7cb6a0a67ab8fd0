using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Airut.Sandbox.Abstractions.Errors;

namespace Airut.Sandbox.Core.Configuration;

/// <summary>
/// Reads and checks <c>upstream_ca_bundle</c> (additions.md): a path relative to the repository root or
/// absolute, naming a readable file of PEM certificates. It only adds trust, so a file that cannot be used is
/// an error rather than something to skip.
/// </summary>
internal static class UpstreamCaBundleSection
{
    private const string Key = "upstream_ca_bundle";

    /// <summary>The bundle's absolute path, or null when the key is absent.</summary>
    public static async Task<string?> ReadAsync(
        ConfigNodeReader reader, ConfigNode? node, string repositoryRoot, CancellationToken cancellationToken)
    {
        if (node is null)
        {
            return null;
        }

        var written = reader.String(node, Key, "a path to a PEM file");
        if (written.Length == 0)
        {
            throw reader.Error(node, Key, "expected a path to a PEM file, got an empty string");
        }

        var path = Path.GetFullPath(written, repositoryRoot);
        if (!File.Exists(path))
        {
            throw reader.Error(node, Key, $"CA bundle not found: {path}");
        }

        byte[] bytes;
        try
        {
            bytes = await ConfigurationFileText.ReadBoundedAsync(path, ConfigurationLimits.MaxCaBundleBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (SandboxConfigurationException ex)
        {
            throw reader.Error(node, Key, $"CA bundle {path}: {ex.Detail}");
        }

        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(Encoding.UTF8.GetString(bytes));
        }
        catch (CryptographicException ex)
        {
            throw reader.Error(node, Key, $"CA bundle {path} is not valid PEM: {ex.Message}");
        }

        try
        {
            return certificates.Count > 0
                ? path
                : throw reader.Error(node, Key, $"CA bundle {path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        finally
        {
            foreach (var certificate in certificates)
            {
                certificate.Dispose();
            }
        }
    }
}
