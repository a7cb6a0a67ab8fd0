using System.Globalization;
using Airut.Sandbox.Abstractions.Errors;

namespace Airut.Sandbox.Docker;

/// <summary>
/// Where the Docker daemon listens: a unix socket or a plain TCP address, as given by <c>DOCKER_HOST</c>.
/// </summary>
public sealed record DockerEndpoint
{
    /// <summary>The daemon's default socket.</summary>
    public const string DefaultSocketPath = "/var/run/docker.sock";

    private DockerEndpoint(string address, string? unixSocketPath, string? tcpHost, int tcpPort)
    {
        Address = address;
        UnixSocketPath = unixSocketPath;
        TcpHost = tcpHost;
        TcpPort = tcpPort;
    }

    /// <summary>The address as a user would write it in <c>DOCKER_HOST</c>.</summary>
    public string Address { get; }

    /// <summary>The socket path for a unix endpoint, else null.</summary>
    public string? UnixSocketPath { get; }

    /// <summary>The host for a TCP endpoint, else null.</summary>
    public string? TcpHost { get; }

    /// <summary>The port for a TCP endpoint.</summary>
    public int TcpPort { get; }

    /// <summary>The default unix socket.</summary>
    public static DockerEndpoint Default { get; } = Unix(DefaultSocketPath);

    /// <summary>A unix socket endpoint.</summary>
    public static DockerEndpoint Unix(string socketPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(socketPath);
        return new DockerEndpoint("unix://" + socketPath, socketPath, null, 0);
    }

    /// <summary>
    /// Reads <c>DOCKER_HOST</c> (and refuses <c>DOCKER_TLS_VERIFY</c>, which this client does not implement)
    /// from the given variables; the default socket when unset.
    /// </summary>
    public static DockerEndpoint FromEnvironment(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        var host = getVariable("DOCKER_HOST");
        if (!string.IsNullOrEmpty(getVariable("DOCKER_TLS_VERIFY")))
        {
            // Falling back to plain TCP when the user asked for TLS would send the API in clear text.
            throw new SandboxInfrastructureException(
                "DOCKER_TLS_VERIFY is set, but Airut.Sandbox talks to Docker over a unix socket or plain tcp:// only; " +
                "unset DOCKER_TLS_VERIFY and use a unix:// DOCKER_HOST.");
        }

        return string.IsNullOrEmpty(host) ? Default : Parse(host);
    }

    /// <summary>Parses <c>unix:///path</c> or <c>tcp://host:port</c>.</summary>
    public static DockerEndpoint Parse(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        const string unixScheme = "unix://";
        const string tcpScheme = "tcp://";
        if (address.StartsWith(unixScheme, StringComparison.Ordinal))
        {
            var path = address[unixScheme.Length..];
            if (path.Length == 0 || path[0] != '/')
            {
                throw new SandboxInfrastructureException($"DOCKER_HOST '{address}' must name an absolute socket path, e.g. unix:///var/run/docker.sock.");
            }

            return Unix(path);
        }

        if (address.StartsWith(tcpScheme, StringComparison.Ordinal)
            && Uri.TryCreate("http://" + address[tcpScheme.Length..], UriKind.Absolute, out var uri)
            && uri.AbsolutePath == "/" && string.IsNullOrEmpty(uri.Query) && uri.UserInfo.Length == 0)
        {
            var port = uri.IsDefaultPort ? 2375 : uri.Port;
            return new DockerEndpoint(
                string.Create(CultureInfo.InvariantCulture, $"tcp://{uri.Host}:{port}"), null, uri.Host, port);
        }

        throw new SandboxInfrastructureException(
            $"DOCKER_HOST '{address}' is not supported; use unix:///path/to/docker.sock or tcp://host:port.");
    }

    /// <inheritdoc />
    public override string ToString() => Address;
}
