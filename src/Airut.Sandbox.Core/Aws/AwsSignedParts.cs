namespace Airut.Sandbox.Core.Aws;

/// <summary>The intermediate and final artifacts of one signature (what the AWS test suite publishes).</summary>
/// <param name="CanonicalRequest">The canonical request.</param>
/// <param name="StringToSign">The string to sign.</param>
/// <param name="Signature">Lower-case hex (SigV4) or hex DER (SigV4A).</param>
public sealed record AwsSignedParts(string CanonicalRequest, string StringToSign, string Signature);
