using System.Security.Cryptography;

namespace Airut.Sandbox.EndToEnd.Tests.Clients;

/// <summary>Fresh "real" credentials for one test: only the proxy and the test upstream ever see them.</summary>
internal sealed record ClientCredentials(string GitToken, string AwsAccessKeyId, string AwsSecretAccessKey, string AwsSessionToken)
{
    private const string Alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public IEnumerable<string> All => [GitToken, AwsAccessKeyId, AwsSecretAccessKey, AwsSessionToken];

    public static ClientCredentials Create() => new(
        "ghp_" + RandomNumberGenerator.GetString(Alphanumeric, 36),
        "AKIA" + RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16),
        RandomNumberGenerator.GetString(Alphanumeric + "+/", 40),
        "FwoGZXIvYXdzE" + RandomNumberGenerator.GetString(Alphanumeric + "+/", 300) + "==");

    /// <summary>Nothing printed about a record of secrets.</summary>
    public override string ToString() => nameof(ClientCredentials) + " { *** }";
}
