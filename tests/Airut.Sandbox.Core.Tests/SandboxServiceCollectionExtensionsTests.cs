using Airut.Sandbox.Abstractions.Running;
using Airut.Sandbox.Abstractions.Runtime;
using Airut.Sandbox.Core.Running;
using Airut.Sandbox.Docker;
using Airut.Sandbox.Podman;
using Airut.Sandbox.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Airut.Sandbox.Core.Tests;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class SandboxServiceCollectionExtensionsTests
{
    [Fact]
    public void UsePodman_and_UseDocker_choose_the_runtime_and_the_last_choice_wins()
    {
        var services = new ServiceCollection();
        services.AddAirutSandbox().UseDocker().UsePodman();
        using var provider = services.BuildServiceProvider();

        Assert.IsType<PodmanRuntime>(provider.GetRequiredService<IContainerRuntime>());
        Assert.IsType<SandboxRunner>(provider.GetRequiredService<ISandboxRunner>());
        Assert.Same(provider.GetRequiredService<ISandboxRunner>(), provider.GetRequiredService<ISandboxRunner>());
    }

    [Fact]
    public void UseDocker_registers_the_docker_runtime()
    {
        var services = new ServiceCollection();
        services.AddAirutSandbox().UseDocker();
        using var provider = services.BuildServiceProvider();
        Assert.IsType<DockerRuntime>(provider.GetRequiredService<IContainerRuntime>());
    }

    [Fact]
    public void UseAvailableRuntime_defers_the_choice_to_first_use()
    {
        var services = new ServiceCollection();
        services.AddAirutSandbox().UseAvailableRuntime();
        using var provider = services.BuildServiceProvider();
        var runtime = Assert.IsType<AutoSelectedContainerRuntime>(provider.GetRequiredService<IContainerRuntime>());
        Assert.Equal("auto", runtime.Name);
    }

    [Fact]
    public void Invalid_options_fail_when_the_runner_is_resolved_naming_the_option()
    {
        var services = new ServiceCollection();
        services.AddAirutSandbox(o => o.RunDirectoryRoot = "relative").UsePodman();
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<ISandboxRunner>());
        Assert.Contains(nameof(SandboxOptions.RunDirectoryRoot), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_are_applied()
    {
        var services = new ServiceCollection();
        services.AddAirutSandbox(o => o.ResourcePrefix = "custom").UsePodman();
        using var provider = services.BuildServiceProvider();
        Assert.Equal("custom", provider.GetRequiredService<IOptions<SandboxOptions>>().Value.ResourcePrefix);
    }
}
