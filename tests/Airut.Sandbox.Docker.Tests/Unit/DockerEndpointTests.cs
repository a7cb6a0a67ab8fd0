using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Docker.Api;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Docker.Tests.Unit;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class DockerEndpointTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] variables)
        => name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void Without_DOCKER_HOST_the_default_socket_is_used()
    {
        var endpoint = DockerEndpoint.FromEnvironment(Env());

        Assert.Equal("/var/run/docker.sock", endpoint.UnixSocketPath);
        Assert.Equal("unix:///var/run/docker.sock", endpoint.Address);
    }

    [Fact]
    public void A_unix_DOCKER_HOST_names_the_socket()
    {
        var endpoint = DockerEndpoint.FromEnvironment(Env(("DOCKER_HOST", "unix:///run/user/1000/docker.sock")));

        Assert.Equal("/run/user/1000/docker.sock", endpoint.UnixSocketPath);
    }

    [Theory]
    [InlineData("tcp://127.0.0.1:2375", "127.0.0.1", 2375)]
    [InlineData("tcp://docker.test", "docker.test", 2375)]
    [InlineData("tcp://[::1]:12375", "[::1]", 12375)]
    public void A_tcp_DOCKER_HOST_names_host_and_port(string address, string host, int port)
    {
        var endpoint = DockerEndpoint.Parse(address);

        Assert.Null(endpoint.UnixSocketPath);
        Assert.Equal(host, endpoint.TcpHost);
        Assert.Equal(port, endpoint.TcpPort);
    }

    [Theory]
    [InlineData("ssh://user@host")]
    [InlineData("npipe:////./pipe/docker_engine")]
    [InlineData("unix://relative.sock")]
    [InlineData("tcp://host:2375/path")]
    [InlineData("/var/run/docker.sock")]
    public void Unsupported_addresses_are_refused_by_name(string address)
    {
        var ex = Assert.Throws<SandboxInfrastructureException>(() => DockerEndpoint.Parse(address));

        Assert.Contains(address, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TLS_verification_is_refused_rather_than_silently_dropped()
    {
        var ex = Assert.Throws<SandboxInfrastructureException>(() => DockerEndpoint.FromEnvironment(Env(("DOCKER_HOST", "tcp://docker.test:2376"), ("DOCKER_TLS_VERIFY", "1"))));

        Assert.Contains("DOCKER_TLS_VERIFY", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.41", "1.12", "1.41")]
    [InlineData("1.51", "1.24", "1.44")]
    [InlineData("1.44", "1.44", "1.44")]
    public void The_API_version_is_the_lower_of_the_daemons_and_ours(string server, string serverMin, string expected)
    {
        var chosen = DockerEngineClient.NegotiateApiVersion(new VersionResponse("x", server, serverMin));

        Assert.Equal(expected, chosen.ToString(2));
    }

    [Theory]
    [InlineData("1.39", "1.12")]
    [InlineData("1.52", "1.45")]
    [InlineData("", null)]
    public void A_daemon_we_cannot_speak_to_is_refused(string server, string? serverMin)
    {
        Assert.Throws<SandboxInfrastructureException>(() => DockerEngineClient.NegotiateApiVersion(new VersionResponse("x", server, serverMin)));
    }

    [Fact]
    public void Label_filters_encode_every_label()
    {
        var query = DockerEngineClient.LabelFilter(new Dictionary<string, string> { ["airut.owner"] = "a b", ["x"] = "1" });

        Assert.Equal("""{"label":["airut.owner=a b","x=1"]}""", Uri.UnescapeDataString(query));
        Assert.DoesNotContain(" ", query, StringComparison.Ordinal);
    }

    [Fact]
    public void Image_references_keep_their_separators_in_paths()
    {
        Assert.Equal("localhost/airut/debian:bookworm", DockerEngineClient.EscapeReference("localhost/airut/debian:bookworm"));
        Assert.Equal("a%20b/c%3Fd", DockerEngineClient.EscapeReference("a b/c?d"));
    }
}
