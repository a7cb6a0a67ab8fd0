using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Podman.Processes;
using Microsoft.Extensions.Logging;

namespace Airut.Sandbox.Podman;

/// <summary>
/// Host firewall rules owned by the podman backend, one set per network, tagged with a comment naming the
/// network so they can be removed with it (or swept later) without touching anyone else's rules.
/// <list type="bullet">
/// <item>Internal networks: accept bridge-local forwarding. With <c>br_netfilter</c> on and a <c>FORWARD</c>
/// policy of DROP (dockerd sets it), peers on a netavark internal bridge cannot talk to each other otherwise.</item>
/// <item>Host-isolated networks: drop everything the bridge delivers to the host, IPv4 and IPv6. The bridge has
/// no IPv4 address, but it does get an IPv6 link-local one through which a container reaches any host listener
/// bound to <c>[::]</c> (NET-05).</item>
/// </list>
/// </summary>
internal sealed class BridgeFirewall
{
    private const string CommentPrefix = "airut-net:";

    private readonly ProcessRunner _iptables;
    private readonly ProcessRunner _ip6tables;

    public BridgeFirewall(PodmanRuntimeOptions options, ILogger logger)
    {
        _iptables = new ProcessRunner(options.IptablesPath, 1024 * 1024, logger);
        _ip6tables = new ProcessRunner(options.Ip6tablesPath, 1024 * 1024, logger);
    }

    /// <summary>
    /// Adds the rules for one network's bridge; throws if any rule cannot be added. Rules of ours that still name
    /// this bridge for another network go first: the bridge was that network's, and it was removed by a process killed
    /// before it could remove its rules. Left in place, a stale DROP would cut the new network off from the host's
    /// DNS and a stale ACCEPT would open forwarding the new network did not ask for.
    /// </summary>
    public async Task AddAsync(string network, string bridge, bool allowPeers, bool isolateFromHost, CancellationToken cancellationToken)
    {
        var comment = CommentPrefix + network;
        await DeleteOwnedRulesAsync(fields => InterfaceOf(fields) == bridge, cancellationToken).ConfigureAwait(false);
        if (allowPeers)
        {
            await RunAsync(_iptables, ["-w", "-I", "FORWARD", "1", "-i", bridge, "-o", bridge, "-m", "comment", "--comment", comment, "-j", "ACCEPT"], cancellationToken).ConfigureAwait(false);
        }

        if (isolateFromHost)
        {
            foreach (var tool in new[] { _iptables, _ip6tables })
            {
                await RunAsync(tool, ["-w", "-I", "INPUT", "1", "-i", bridge, "-m", "comment", "--comment", comment, "-j", "DROP"], cancellationToken).ConfigureAwait(false);
                await RunAsync(tool, ["-w", "-C", "INPUT", "-i", bridge, "-m", "comment", "--comment", comment, "-j", "DROP"], cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Removes every rule tagged with this network's name; succeeds when there are none.</summary>
    public Task RemoveAsync(string network, CancellationToken cancellationToken) =>
        DeleteOwnedRulesAsync(fields => CommentOf(fields) == CommentPrefix + network, cancellationToken);

    /// <summary>Deletes each of our rules (comment <c>airut-net:*</c>) in INPUT and FORWARD, both families, that <paramref name="matches"/>.</summary>
    private async Task DeleteOwnedRulesAsync(Func<string[], bool> matches, CancellationToken cancellationToken)
    {
        foreach (var tool in new[] { _iptables, _ip6tables })
        {
            ProcessResult listing;
            try
            {
                // One listing of the whole filter table per family: a process per chain would double the calls on
                // every network create and remove.
                listing = await tool.RunAsync(["-w", "-S"], cancellationToken).ConfigureAwait(false);
            }
            catch (SandboxInfrastructureException)
            {
                // The tool is not installed, so it never added a rule either.
                continue;
            }

            if (!listing.Succeeded)
            {
                continue;
            }

            foreach (var line in listing.Stdout.ToString().Split('\n'))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 2 || fields[0] != "-A" || fields[1] is not ("INPUT" or "FORWARD") || CommentOf(fields) is not { } comment
                    || !comment.StartsWith(CommentPrefix, StringComparison.Ordinal) || !matches(fields))
                {
                    continue;
                }

                fields[0] = "-D";
                fields[Array.IndexOf(fields, "--comment") + 1] = comment;
                await RunAsync(tool, ["-w", .. fields], cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The rule's comment without the quotes <c>iptables -S</c> adds, or null.</summary>
    private static string? CommentOf(string[] fields)
    {
        var at = Array.IndexOf(fields, "--comment");
        return at < 0 || at + 1 >= fields.Length ? null : fields[at + 1].Trim('"');
    }

    /// <summary>The rule's input interface, or null.</summary>
    private static string? InterfaceOf(string[] fields)
    {
        var at = Array.IndexOf(fields, "-i");
        return at < 0 || at + 1 >= fields.Length ? null : fields[at + 1];
    }

    private static async Task RunAsync(ProcessRunner tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var result = await tool.RunAsync(arguments, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new SandboxInfrastructureException(
                $"Firewall command failed (exit {result.ExitCode}): {string.Join(' ', arguments)}: {result.Stderr.ToString().Trim()}");
        }
    }
}
