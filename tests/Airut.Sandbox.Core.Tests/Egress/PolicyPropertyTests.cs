using Airut.Sandbox.Core.Egress;
using Airut.Sandbox.Testing;
using static Airut.Sandbox.Core.Tests.Egress.PolicyBuilder;

namespace Airut.Sandbox.Core.Tests.Egress;

/// <summary>Seeded random request targets built from traversal-prone pieces; a failure prints the seed and case.</summary>
[Trait(TestCategories.Name, TestCategories.Unit)]
[Trait("Spec", "PX-9")]
public sealed class PolicyPropertyTests
{
    private static readonly string[] Pieces =
        ["/", "pub", "priv", "..", ".", "%2e", "%2E", "%2f", "%2F", "%5c", "\\", "%00", "?", "#", "%3f", "%23", "x", ";", "%25", "2e", "&", "=", "%0a"];

    [Fact]
    public void PX_8_PX_9_an_allowed_target_never_escapes_its_prefix_after_one_decode()
    {
        var policy = Policy(Rule("allowed.test", "/pub/*"));
        var seed = Environment.TickCount;
        var random = new Random(seed);
        for (var n = 0; n < 5000; n++)
        {
            var raw = "/pub/" + string.Concat(Enumerable.Range(0, random.Next(1, 10)).Select(_ => Pieces[random.Next(Pieces.Length)]));
            if (!policy.Decide("allowed.test", raw).Allowed)
            {
                continue;
            }

            // What an upstream resolves: the path before the raw '?', decoded once, split into segments.
            var rawPath = raw.Split('?')[0];
            var decoded = PercentDecoding.DecodeOnce(rawPath);
            var safe = decoded.StartsWith("/pub/", StringComparison.Ordinal)
                && !decoded.Split('/').Any(s => s == ".." || s.StartsWith("..;", StringComparison.Ordinal))
                && decoded.IndexOfAny(['\\', '\0', '\n', '?']) < 0;
            Assert.True(safe && !raw.Contains('#', StringComparison.Ordinal), $"unsafe target allowed at case {n}; seed {seed}");
        }
    }
}
