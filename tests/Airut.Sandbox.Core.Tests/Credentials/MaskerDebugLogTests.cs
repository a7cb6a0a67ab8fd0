using Airut.Sandbox.Core.Credentials;
using Airut.Sandbox.Core.Tests.Fakes;
using Airut.Sandbox.Testing;
using Microsoft.Extensions.Logging;
using static Airut.Sandbox.Core.Tests.Credentials.MaskingFixture;

namespace Airut.Sandbox.Core.Tests.Credentials;

/// <summary>The masker's debug lines (LOG-03): which secret went into which header for which host, or why not; names only.</summary>
[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class MaskerDebugLogTests
{
    [Fact]
    [Trait("Spec", "LOG-03")]
    public void LOG_03_injection_withholding_and_a_missing_surrogate_are_each_named_at_debug_without_any_value()
    {
        using var logs = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(logs));
        var map = SurrogateReplacementMap.Create([Tok()]);
        var surrogate = map.Entries[0].Surrogate;
        var masker = new SurrogateCredentialMasker(map, factory.CreateLogger<SurrogateCredentialMasker>());

        var injected = Request("api.scoped.test", ("Authorization", "Bearer " + surrogate));
        masker.Apply(injected);
        masker.Apply(Request("http", "scoped.test", ("Authorization", "Bearer " + surrogate)));
        masker.Apply(Request("scoped.test", ("Accept", "*/*")));
        masker.Apply(Request("open.test", ("Authorization", "Bearer " + surrogate)));

        Assert.True(CarriesReal(injected, TokReal), "the real value was injected, so its absence from the log means something");
        var lines = logs.Entries.Where(e => e.Level == LogLevel.Debug).Select(e => e.Message).ToList();
        Assert.Equal(
            [
                "Masked secret TOK: injected into header 'Authorization' for api.scoped.test",
                "Masked secret TOK: withheld from header 'Authorization' for scoped.test (plaintext http upstream)",
                "Masked secret TOK: in scope for scoped.test, but no header held its surrogate",
            ],
            lines);
        var all = string.Join('\n', logs.Entries.Select(e => e.Message));
        Assert.DoesNotContain(TokReal, all, StringComparison.Ordinal);
        Assert.DoesNotContain(surrogate, all, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Spec", "LOG-03")]
    public void LOG_03_above_debug_the_masker_logs_nothing()
    {
        using var logs = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Information).AddProvider(logs));
        var map = SurrogateReplacementMap.Create([Tok()]);
        var masker = new SurrogateCredentialMasker(map, factory.CreateLogger<SurrogateCredentialMasker>());

        masker.Apply(Request("scoped.test", ("Authorization", "Bearer " + map.Entries[0].Surrogate)));

        Assert.Empty(logs.Entries);
    }
}
