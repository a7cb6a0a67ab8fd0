using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Core.Configuration;
using Airut.Sandbox.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Airut.Sandbox.Core.Tests.Configuration;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class SandboxDefinitionLoaderTests : IDisposable
{
    private readonly TemporaryDirectory _repo = new();

    public void Dispose() => _repo.Dispose();

    private static SandboxDefinitionLoader Loader(IReadOnlyDictionary<string, string>? env = null) => new(
        new SandboxConfigurationLoader(new FakeEnvironment(env), NullLogger<SandboxConfigurationLoader>.Instance),
        new AllowlistLoader(NullLogger<AllowlistLoader>.Instance));

    private Task<SandboxDefinition> LoadAsync(SandboxDefinitionSources? sources = null) =>
        Loader().LoadAsync(sources ?? new SandboxDefinitionSources(_repo.Path), CancellationToken.None);

    [Fact]
    public async Task Loads_the_default_files_under_dot_airut()
    {
        _repo.Write(".airut/sandbox.yaml", "env:\n  A: '1'\nresource_limits:\n  timeout: 60\n");
        _repo.Write(".airut/network-allowlist.yaml", "domains: [api.example.test]\n");
        var dockerfile = _repo.Write(".airut/container/Dockerfile", "FROM scratch\n");

        var definition = await LoadAsync();

        Assert.Equal(_repo.Path, definition.RepositoryRoot);
        Assert.Equal(Path.Combine(_repo.Path, ".airut", "sandbox.yaml"), definition.Configuration.SourcePath);
        Assert.Equal([new KeyValuePair<string, string>("A", "1")], definition.Configuration.Env);
        Assert.Equal(TimeSpan.FromSeconds(60), definition.Configuration.ResourceLimits.Timeout);
        Assert.Equal(["api.example.test"], definition.Allowlist.Domains);
        Assert.Equal(dockerfile, definition.DockerfilePath);
        Assert.Equal(Path.Combine(_repo.Path, ".airut", "container"), definition.ContextDirectory);
    }

    [Fact]
    public async Task CFG_02_AL_3_missing_default_files_mean_defaults_and_block_all()
    {
        _repo.Write(".airut/container/Dockerfile", "FROM scratch\n");
        var definition = await LoadAsync();
        Assert.Same(SandboxConfiguration.Default, definition.Configuration);
        Assert.Same(Allowlist.Empty, definition.Allowlist);
    }

    [Fact]
    public async Task Missing_dockerfile_is_an_error()
    {
        var error = await Assert.ThrowsAsync<SandboxConfigurationException>(() => LoadAsync());
        Assert.Equal($"Dockerfile not found: {Path.Combine(_repo.Path, ".airut", "container", "Dockerfile")}", error.Message);
    }

    [Fact]
    public async Task SEC_20_DEV_explicit_config_path_that_does_not_exist_is_an_error()
    {
        _repo.Write(".airut/container/Dockerfile", "FROM scratch\n");
        var error = await Assert.ThrowsAsync<SandboxConfigurationException>(
            () => LoadAsync(new SandboxDefinitionSources(_repo.Path, ConfigPath: "sandbx.yaml")));
        Assert.Contains($"config file not found: {Path.Combine(_repo.Path, "sandbx.yaml")}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SEC_20_DEV_explicit_allowlist_path_that_does_not_exist_is_an_error()
    {
        _repo.Write(".airut/container/Dockerfile", "FROM scratch\n");
        var error = await Assert.ThrowsAsync<SandboxConfigurationException>(
            () => LoadAsync(new SandboxDefinitionSources(_repo.Path, AllowlistPath: "/nonexistent/allow.yaml")));
        Assert.Contains("allowlist file not found: /nonexistent/allow.yaml", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CFG_01_explicit_paths_replace_the_defaults()
    {
        _repo.Write(".airut/sandbox.yaml", "network_sandbox: maybe\n");
        _repo.Write(".airut/network-allowlist.yaml", "bad: key\n");
        var config = _repo.Write("ci/sandbox.yaml", "pass_env: [CI]\n");
        var allowlist = _repo.Write("ci/allow.yaml", "domains: [ci.example.test]\n");
        var dockerfile = _repo.Write("ci/image/Dockerfile.ci", "FROM scratch\n");
        var context = Path.Combine(_repo.Path, "ci", "context");

        var definition = await LoadAsync(new SandboxDefinitionSources(_repo.Path, "ci/sandbox.yaml", allowlist, "ci/image/Dockerfile.ci", context));

        Assert.Equal(config, definition.Configuration.SourcePath);
        Assert.Equal(["CI"], definition.Configuration.PassEnv);
        Assert.Equal(["ci.example.test"], definition.Allowlist.Domains);
        Assert.Equal(dockerfile, definition.DockerfilePath);
        Assert.Equal(context, definition.ContextDirectory);
    }

    [Fact]
    public async Task AL_4_CFG_41_with_the_network_sandbox_off_the_allowlist_is_not_read_at_all()
    {
        _repo.Write(".airut/sandbox.yaml", "network_sandbox: false\n");
        _repo.Write(".airut/network-allowlist.yaml", "domains: abc\nnot: valid\n");
        _repo.Write(".airut/container/Dockerfile", "FROM scratch\n");

        var definition = await LoadAsync();
        Assert.False(definition.Configuration.NetworkSandbox);
        Assert.Same(Allowlist.Empty, definition.Allowlist);

        definition = await LoadAsync(new SandboxDefinitionSources(_repo.Path, AllowlistPath: "missing.yaml"));
        Assert.Same(Allowlist.Empty, definition.Allowlist);
    }

    [Fact]
    public async Task Config_errors_stop_the_load_before_the_allowlist()
    {
        _repo.Write(".airut/sandbox.yaml", "env:\n  A: !env NOT_SET\n");
        _repo.Write(".airut/network-allowlist.yaml", "domains: abc\n");
        _repo.Write(".airut/container/Dockerfile", "FROM scratch\n");

        var error = await Assert.ThrowsAsync<SandboxConfigurationException>(() => LoadAsync());
        Assert.Equal("env.A", error.Key);
        Assert.Equal(Path.Combine(_repo.Path, ".airut", "sandbox.yaml"), error.Location!.File);
    }

    [Fact]
    public async Task Invalid_allowlist_is_an_error_naming_its_file()
    {
        _repo.Write(".airut/network-allowlist.yaml", "url_prefixes:\n  - host: a.test\n    method: [GET]\n");
        _repo.Write(".airut/container/Dockerfile", "FROM scratch\n");

        var error = await Assert.ThrowsAsync<SandboxConfigurationException>(() => LoadAsync());
        Assert.Equal(new SourceLocation(Path.Combine(_repo.Path, ".airut", "network-allowlist.yaml"), 3, 5), error.Location);
        Assert.Equal("url_prefixes[0].method", error.Key);
    }

    [Fact]
    public async Task Missing_repository_root_is_an_error()
    {
        var error = await Assert.ThrowsAsync<SandboxConfigurationException>(
            () => LoadAsync(new SandboxDefinitionSources(Path.Combine(_repo.Path, "nope"))));
        Assert.StartsWith("repository root not found", error.Message, StringComparison.Ordinal);
    }
}
