using Airut.Sandbox.Core.Images;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Cli.Tests;

/// <summary>The built airut-sandbox program: usage errors, exit codes and the image hash, as a user meets them.</summary>
[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class CliProgramTests : IDisposable
{
    private readonly DirectoryInfo _workspace = Directory.CreateTempSubdirectory("airut-cli-program-");

    public void Dispose() => _workspace.Delete(recursive: true);

    [Theory]
    [InlineData(new string[0], "No subcommand specified (use 'run' or 'image')")]
    [InlineData(new[] { "bogus" }, "Unknown subcommand: bogus")]
    [InlineData(new[] { "image" }, "No image command specified (use 'hash', 'save', or 'load')")]
    [InlineData(new[] { "image", "frob" }, "Unknown image command: frob")]
    [InlineData(new[] { "run", "--bogus", "--", "true" }, "Unrecognized command or argument '--bogus'")]
    [InlineData(new[] { "run", "--timeout", "soon", "--", "true" }, "Cannot parse argument 'soon' for option '--timeout'")]
    [InlineData(new[] { "run" }, "No command specified after --")]
    [InlineData(new[] { "run", "--" }, "No command specified after --")]
    [InlineData(new[] { "run", "--mount", "/a:/b:rw", "--", "true" }, "Invalid mount format: '/a:/b:rw'")]
    [InlineData(new[] { "run", "--proxy-log-level", "loud", "--", "true" }, "'loud'")]
    public async Task CLI_03_CLI_04_usage_and_input_errors_exit_125_with_a_message_and_nothing_on_stdout(string[] arguments, string message)
    {
        var result = await CliProcess.RunAsync(_workspace.FullName, arguments);

        Assert.Equal(125, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task CLI_09_a_named_config_file_that_does_not_exist_is_a_configuration_error()
    {
        WriteDockerfile("FROM localhost/airut/client:bookworm\n");

        var result = await CliProcess.RunAsync(_workspace.FullName, "run", "--config", "missing.yaml", "--", "true");

        Assert.Equal(125, result.ExitCode);
        Assert.Contains("Configuration error:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("missing.yaml", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CFG_09_malformed_yaml_names_file_line_and_key_and_exits_125()
    {
        WriteDockerfile("FROM localhost/airut/client:bookworm\n");
        File.WriteAllText(Path.Combine(_workspace.FullName, ".airut", "sandbox.yaml"), "resource_limits:\n  memroy: 512m\n");

        var result = await CliProcess.RunAsync(_workspace.FullName, "run", "--", "true");

        Assert.Equal(125, result.ExitCode);
        Assert.Contains(".airut/sandbox.yaml:2:3", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("memroy", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Spec", "RES-03")]
    public async Task RES_03_a_disk_limit_the_workspace_cannot_be_held_to_exits_125_naming_file_line_key_and_workspace()
    {
        WriteDockerfile("FROM localhost/airut/client:bookworm\n");
        File.WriteAllText(Path.Combine(_workspace.FullName, ".airut", "sandbox.yaml"), "network_sandbox: false\nresource_limits:\n  disk: 2g\n");

        var result = await CliProcess.RunAsync(_workspace.FullName, "run", "--container-command", "/nonexistent/engine", "--", "true");

        Assert.Equal(125, result.ExitCode);
        Assert.Contains(
            $".airut/sandbox.yaml:3:9: resource_limits.disk: the workspace {_workspace.FullName} is not a filesystem of its own", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("/nonexistent/engine", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task Help_describes_run_and_image_and_exits_0()
    {
        var result = await CliProcess.RunAsync(_workspace.FullName, "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("run", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("image", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CLI_10_image_hash_prints_exactly_two_lines_equal_to_the_library_hashes()
    {
        WriteDockerfile("FROM localhost/airut/client:bookworm\nRUN true\n");
        File.WriteAllText(Path.Combine(_workspace.FullName, ".airut", "container", "extra.txt"), "context");

        var result = await CliProcess.RunAsync(_workspace.FullName, "image", "hash", "--verbose");

        Assert.True(result.ExitCode == 0, result.Stderr);
        var repository = RepositoryImageSourceReader.Read(
            Path.Combine(_workspace.FullName, ".airut", "container", "Dockerfile"), Path.Combine(_workspace.FullName, ".airut", "container"));
        var proxy = ProxyImageSource.Create("localhost/airut/debian:bookworm", Path.Combine(CliProcess.OutputDirectory, "airut-proxy"));
        Assert.Equal($"repo={repository.ContentHash}\nproxy={proxy.ContentHash}\n", result.Stdout);
        Assert.Matches("^repo=[0-9a-f]{64}\nproxy=[0-9a-f]{64}\n$", result.Stdout);
    }

    [Fact]
    public async Task CLI_10_image_hash_without_a_dockerfile_exits_125()
    {
        var result = await CliProcess.RunAsync(_workspace.FullName, "image", "hash");

        Assert.Equal(125, result.ExitCode);
        Assert.Contains("Failed to build image specs: ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("Dockerfile not found", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task CLI_12_image_load_of_a_directory_without_archives_exits_0()
    {
        var result = await CliProcess.RunAsync(_workspace.FullName, "image", "load", _workspace.FullName, "--container-command", "podman");

        Assert.Equal(0, result.ExitCode);
    }

    private void WriteDockerfile(string text)
    {
        var directory = Directory.CreateDirectory(Path.Combine(_workspace.FullName, ".airut", "container"));
        File.WriteAllText(Path.Combine(directory.FullName, "Dockerfile"), text);
    }
}
