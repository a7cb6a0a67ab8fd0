using System.Globalization;
using System.Text.RegularExpressions;
using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Abstractions.Errors;

namespace Airut.Sandbox.Core.Configuration;

/// <summary>
/// Reads <c>resource_limits</c> (CFG-50..CFG-54). Each field is taken as its written text and parsed; every
/// failure is <c>'resource_limits' has invalid value: &lt;reason&gt;</c> (CFG-52). Fields are checked in the
/// order timeout, memory, cpus, pids_limit, disk. <c>disk</c> is this project's addition (RES-03).
/// </summary>
internal static partial class ResourceLimitsSection
{
    private const string Key = "resource_limits";
    private static readonly string[] Fields = ["timeout", "memory", "cpus", "pids_limit", "disk"];

    /// <summary>Reads the section; absent means no limits (a null value is "not a mapping", as in the original).</summary>
    public static ResourceLimits Read(ConfigNodeReader reader, ConfigNode? node)
    {
        if (node is null)
        {
            return ResourceLimits.None;
        }

        var section = reader.Mapping(node, Key, "'resource_limits'");
        reader.RejectUnknownKeys(section, Key, Fields);

        TimeSpan? timeout = null;
        if (Field(reader, section, "timeout") is var (timeoutNode, timeoutText))
        {
            var seconds = WholeNumber(timeoutText)
                ?? throw Invalid(reader, timeoutNode, "timeout", $"Timeout must be a whole number of seconds: {timeoutText}");
            if (ResourceLimitRules.CheckTimeout(seconds) is { } problem)
            {
                throw Invalid(reader, timeoutNode, "timeout", problem);
            }

            if (seconds > int.MaxValue)
            {
                throw Invalid(reader, timeoutNode, "timeout", $"Timeout is too large: {timeoutText}");
            }

            timeout = TimeSpan.FromSeconds(seconds);
        }

        long? memoryBytes = null;
        string? memoryText = null;
        if (Field(reader, section, "memory") is var (memoryNode, memory))
        {
            memoryBytes = Bytes(reader, memoryNode, memory, "memory");
            memoryText = memory;
        }

        double? cpus = null;
        if (Field(reader, section, "cpus") is var (cpusNode, cpusText))
        {
            if (!double.TryParse(cpusText.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            {
                throw Invalid(reader, cpusNode, "cpus", $"CPUs must be a number: {cpusText}");
            }

            cpus = value >= 0.01 ? value : throw Invalid(reader, cpusNode, "cpus", $"CPUs must be >= 0.01: {cpusText}");
        }

        int? pids = null;
        if (Field(reader, section, "pids_limit") is var (pidsNode, pidsText))
        {
            var value = WholeNumber(pidsText);
            if (value is null or > int.MaxValue)
            {
                throw Invalid(reader, pidsNode, "pids_limit", $"PIDs limit must be a whole number: {pidsText}");
            }

            pids = value >= 1 ? (int)value : throw Invalid(reader, pidsNode, "pids_limit", $"PIDs limit must be >= 1: {pidsText}");
        }

        long? diskBytes = null;
        string? diskText = null;
        SourceLocation? diskLocation = null;
        if (Field(reader, section, "disk") is var (diskNode, disk))
        {
            diskBytes = Bytes(reader, diskNode, disk, "disk");
            diskText = disk;
            diskLocation = reader.At(diskNode);
        }

        return new ResourceLimits(timeout, memoryBytes, memoryText, cpus, pids, diskBytes, diskText, diskLocation);
    }

    private static (ScalarNode Node, string Text)? Field(ConfigNodeReader reader, MappingNode section, string name)
    {
        var entry = section.Find(name);
        if (entry is null)
        {
            return null;
        }

        var key = KeyPath.Child(Key, name);
        reader.RejectEnvTag(entry.Value, key);
        if (entry.Value is not ScalarNode scalar || scalar.IsNull)
        {
            throw Invalid(reader, entry.Value, name, $"{name} must be a single value, got {entry.Value.Describe()}");
        }

        reader.RejectNul(scalar, key);
        return (scalar, scalar.Value);
    }

    /// <summary>A size written like <c>512m</c> (CFG-51), in bytes; <paramref name="field"/> is <c>memory</c> or <c>disk</c>.</summary>
    private static long Bytes(ConfigNodeReader reader, ScalarNode node, string text, string field)
    {
        var match = SizePattern().Match(text);
        if (!match.Success)
        {
            throw Invalid(reader, node, field, $"Invalid {field} limit '{text}': expected format like '512m', '2g', '1024k'");
        }

        var multiplier = char.ToLowerInvariant(match.Groups[2].Value[0]) switch
        {
            'k' => 1024L,
            'm' => 1024L * 1024,
            'g' => 1024L * 1024 * 1024,
            _ => 1L,
        };
        if (!long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || number > long.MaxValue / multiplier)
        {
            throw Invalid(reader, node, field, $"Invalid {field} limit '{text}': value is too large");
        }

        return number > 0
            ? number * multiplier
            : throw Invalid(reader, node, field, $"Invalid {field} limit '{text}': value must be greater than zero");
    }

    private static long? WholeNumber(string text) =>
        WholeNumberPattern().IsMatch(text.Trim())
        && long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;

    private static SandboxConfigurationException Invalid(
        ConfigNodeReader reader, ConfigNode node, string field, string reason) =>
        reader.Error(node, KeyPath.Child(Key, field), $"'resource_limits' has invalid value: {reason}");

    [GeneratedRegex(@"^([0-9]+)([bkmgBKMG])\z", RegexOptions.CultureInvariant)]
    private static partial Regex SizePattern();

    [GeneratedRegex(@"^[-+]?[0-9]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex WholeNumberPattern();
}
