using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Abstractions.Runtime;

namespace Airut.Sandbox.Cli;

/// <summary>Parses <c>--mount SRC:DST[:ro]</c> (CLI-50).</summary>
internal static class MountSpec
{
    /// <summary>Parses one mount; SRC becomes an absolute path with symlinks resolved.</summary>
    public static BindMount Parse(string text, string workingDirectory)
    {
        var parts = text.Split(':');
        var valid = parts.Length switch
        {
            2 => true,
            3 => parts[2] == "ro",
            _ => false,
        };
        if (!valid || parts[0].Length == 0 || parts[1].Length == 0 || !parts[1].StartsWith('/'))
        {
            throw new SandboxConfigurationException(
                $"Invalid mount format: '{text}' (expected SRC:DST or SRC:DST:ro, DST an absolute container path)",
                key: "--mount");
        }

        var source = Path.GetFullPath(parts[0], workingDirectory);
        source = ResolveLinks(source);
        return new BindMount(source, parts[1], ReadOnly: parts.Length == 3);
    }

    private static string ResolveLinks(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is null)
        {
            return path;
        }

        var target = info.ResolveLinkTarget(returnFinalTarget: true);
        return target?.FullName ?? path;
    }
}
