using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Abstractions.Runtime;
using Airut.Sandbox.Core.Tests.Fakes;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Core.Tests.Selection;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class ContainerRuntimeSelectorTests
{
    private readonly Dictionary<string, string> _environment = [];
    private readonly List<string> _probed = [];

    private ContainerRuntimeCandidate Candidate(string name, bool answers) => new(name, () =>
    {
        _probed.Add(name);
        return new ProbedRuntime(name, answers);
    });

    private ContainerRuntimeSelector Selector(string? explicitName, params ContainerRuntimeCandidate[] candidates) =>
        new(candidates, explicitName, n => _environment.TryGetValue(n, out var v) ? v : null, TimeSpan.FromSeconds(5));

    [Fact]
    public async Task An_explicit_runtime_wins_over_the_environment_and_probing()
    {
        _environment[ContainerRuntimeSelector.EnvironmentVariable] = "podman";
        var runtime = await Selector("docker", Candidate("podman", true), Candidate("docker", true)).SelectAsync(default);
        Assert.Equal("docker", runtime.Name);
        Assert.Equal(["docker"], _probed);
    }

    [Fact]
    public async Task The_environment_variable_wins_over_probing()
    {
        _environment[ContainerRuntimeSelector.EnvironmentVariable] = "Docker";
        var runtime = await Selector(null, Candidate("podman", true), Candidate("docker", true)).SelectAsync(default);
        Assert.Equal("docker", runtime.Name);
    }

    [Fact]
    public async Task Without_a_name_the_first_engine_that_answers_is_chosen()
    {
        var runtime = await Selector(null, Candidate("podman", false), Candidate("docker", true)).SelectAsync(default);
        Assert.Equal("docker", runtime.Name);
        Assert.Equal(["podman", "docker"], _probed);
    }

    [Fact]
    public async Task When_nothing_answers_the_error_names_every_runtime_tried_and_why()
    {
        var error = await Assert.ThrowsAsync<SandboxInfrastructureException>(
            () => Selector(null, Candidate("podman", false), Candidate("docker", false)).SelectAsync(default));
        Assert.Contains("podman: podman is not running", error.Message, StringComparison.Ordinal);
        Assert.Contains("docker: docker is not running", error.Message, StringComparison.Ordinal);
        Assert.Contains(ContainerRuntimeSelector.EnvironmentVariable, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_named_runtime_that_does_not_answer_is_an_error_naming_where_the_name_came_from()
    {
        _environment[ContainerRuntimeSelector.EnvironmentVariable] = "podman";
        var error = await Assert.ThrowsAsync<SandboxInfrastructureException>(
            () => Selector(null, Candidate("podman", false), Candidate("docker", true)).SelectAsync(default));
        Assert.Contains("'podman' (from AIRUT_CONTAINER_RUNTIME) does not answer", error.Message, StringComparison.Ordinal);
        Assert.Equal(["podman"], _probed);
    }

    [Fact]
    public async Task An_unknown_name_is_an_error_listing_the_known_ones()
    {
        var error = await Assert.ThrowsAsync<SandboxInfrastructureException>(
            () => Selector("containerd", Candidate("podman", true), Candidate("docker", true)).SelectAsync(default));
        Assert.Contains("Unknown container runtime 'containerd'", error.Message, StringComparison.Ordinal);
        Assert.Contains("podman, docker", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_auto_selected_runtime_selects_once_and_forwards_calls()
    {
        var auto = new AutoSelectedContainerRuntime(Selector(null, Candidate("podman", false), Candidate("docker", true)));
        Assert.Equal("auto", auto.Name);
        var info = await auto.GetInfoAsync(default);
        await auto.InspectImageAsync("x", default);
        Assert.Equal("docker", info.Name);
        Assert.Equal("docker", auto.Name);
        Assert.Equal(["podman", "docker"], _probed);
    }

    private sealed class ProbedRuntime(string name, bool answers) : IContainerRuntime
    {
        private readonly InMemoryContainerRuntime _inner = new();

        public string Name => name;

        public Task<RuntimeInfo> GetInfoAsync(CancellationToken cancellationToken) => answers
            ? Task.FromResult(new RuntimeInfo(name, "1", null))
            : throw new SandboxInfrastructureException($"{name} is not running");

        public Task BuildImageAsync(ImageBuildRequest request, IProgress<string>? progress, CancellationToken cancellationToken) => _inner.BuildImageAsync(request, progress, cancellationToken);

        public Task<ImageInfo?> InspectImageAsync(string reference, CancellationToken cancellationToken) => _inner.InspectImageAsync(reference, cancellationToken);

        public Task RemoveImageAsync(string reference, CancellationToken cancellationToken) => _inner.RemoveImageAsync(reference, cancellationToken);

        public Task SaveImagesAsync(IReadOnlyList<string> references, string archivePath, CancellationToken cancellationToken) => _inner.SaveImagesAsync(references, archivePath, cancellationToken);

        public Task LoadImagesAsync(string archivePath, CancellationToken cancellationToken) => _inner.LoadImagesAsync(archivePath, cancellationToken);

        public Task CreateNetworkAsync(NetworkSpec spec, CancellationToken cancellationToken) => _inner.CreateNetworkAsync(spec, cancellationToken);

        public Task<NetworkInfo?> InspectNetworkAsync(string name, CancellationToken cancellationToken) => _inner.InspectNetworkAsync(name, cancellationToken);

        public Task RemoveNetworkAsync(string name, CancellationToken cancellationToken) => _inner.RemoveNetworkAsync(name, cancellationToken);

        public Task<IReadOnlyList<NetworkInfo>> ListNetworksAsync(IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken) => _inner.ListNetworksAsync(labels, cancellationToken);

        public Task<string> CreateContainerAsync(ContainerSpec spec, CancellationToken cancellationToken) => _inner.CreateContainerAsync(spec, cancellationToken);

        public Task StartContainerAsync(string nameOrId, CancellationToken cancellationToken) => _inner.StartContainerAsync(nameOrId, cancellationToken);

        public Task<ContainerExit> RunAttachedAsync(string nameOrId, IContainerOutputSink output, CancellationToken cancellationToken) => _inner.RunAttachedAsync(nameOrId, output, cancellationToken);

        public Task<ContainerExit> WaitContainerAsync(string nameOrId, CancellationToken cancellationToken) => _inner.WaitContainerAsync(nameOrId, cancellationToken);

        public Task<ContainerLogs> GetLogsAsync(string nameOrId, CancellationToken cancellationToken) => _inner.GetLogsAsync(nameOrId, cancellationToken);

        public Task<ContainerInfo?> InspectContainerAsync(string nameOrId, CancellationToken cancellationToken) => _inner.InspectContainerAsync(nameOrId, cancellationToken);

        public Task KillContainerAsync(string nameOrId, string signal, CancellationToken cancellationToken) => _inner.KillContainerAsync(nameOrId, signal, cancellationToken);

        public Task RemoveContainerAsync(string nameOrId, CancellationToken cancellationToken) => _inner.RemoveContainerAsync(nameOrId, cancellationToken);

        public Task<IReadOnlyList<ContainerInfo>> ListContainersAsync(IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken) => _inner.ListContainersAsync(labels, cancellationToken);
    }
}
