using Microsoft.Extensions.Logging;

namespace Airut.Sandbox.Proxy;

/// <summary>
/// The proxy program's log filter (LOG-03 debug mode). Without a level it is the quiet default: warnings, plus the DNS
/// responder's information lines. With a level (<c>airut-proxy --log-level</c>) that level applies to every category,
/// Kestrel's and ASP.NET Core's included, so <c>debug</c> shows the per-request decision, masking and re-signing lines and
/// <c>trace</c> adds the server's connection handling. No line at any level carries a real secret value.
/// </summary>
public static class ProxyLogFilter
{
    /// <summary>The level names <c>--log-level</c> accepts, quietest last.</summary>
    public static IReadOnlyList<string> LevelNames { get; } = ["trace", "debug", "information", "warning", "error", "critical"];

    /// <summary>The filter for <paramref name="level"/>; null is the default.</summary>
    public static LoggerFilterOptions Create(LogLevel? level)
    {
        var dns = level is { } chosen && chosen < LogLevel.Information ? chosen : LogLevel.Information;
        var filter = new LoggerFilterOptions { MinLevel = level ?? LogLevel.Warning };

        // The DNS responder's start lines stay visible at every level: they say which addresses answer.
        filter.Rules.Add(new LoggerFilterRule(providerName: null, categoryName: "Airut.Sandbox.Proxy.Dns", logLevel: dns, filter: null));
        return filter;
    }

    /// <summary>Parses one of <see cref="LevelNames"/> (case-insensitive); false for anything else, numbers included.</summary>
    public static bool TryParseLevel(string text, out LogLevel level)
    {
        var index = LevelNames.ToList().FindIndex(n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
        level = index < 0 ? LogLevel.None : (LogLevel)index;
        return index >= 0;
    }
}
