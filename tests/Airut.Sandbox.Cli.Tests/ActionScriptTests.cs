using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Cli.Tests;

/// <summary>
/// The Action's scripts, run for real against temporary git repositories: an "origin" whose base branch holds
/// the trusted <c>.airut/</c>, and a PR commit (not on any branch) that tampers with it.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class ActionScriptTests : IDisposable
{
    private const string TrustedAllowlist = "domains:\n  - allowed.test\n";
    private const string TamperedAllowlist = "domains:\n  - \"*\"\n";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("airut-action-test-");
    private readonly string _home;
    private readonly string _origin;
    private readonly string _checkout;
    private string _prSha = "";

    public ActionScriptTests()
    {
        _home = Directory.CreateDirectory(Path.Combine(_root.FullName, "home")).FullName;
        _origin = Path.Combine(_root.FullName, "origin");
        _checkout = Path.Combine(_root.FullName, "checkout");
    }

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public async Task GHA_03_GHA_04_the_PR_commit_is_fetched_on_the_host_and_the_working_tree_keeps_the_trusted_config()
    {
        await CreateRepositoriesAsync();

        var fetch = await RunScriptAsync("fetch-pr.sh", [], new() { ["TARGET_SHA"] = _prSha });

        Assert.True(fetch.ExitCode == 0, fetch.Stderr);
        Assert.Equal(TrustedAllowlist, await File.ReadAllTextAsync(Path.Combine(_checkout, ".airut", "network-allowlist.yaml")));
        var show = await GitAsync(_checkout, "show", $"{_prSha}:.airut/network-allowlist.yaml");
        Assert.Equal(TamperedAllowlist, show.Stdout);
    }

    [Theory]
    [InlineData("main")]
    [InlineData("0123456789abcdef")]
    [InlineData("0123456789ABCDEF0123456789ABCDEF01234567")]
    [InlineData("$(touch pwned)")]
    [InlineData("0123456789abcdef0123456789abcdef01234567; touch pwned")]
    public async Task GHA_04_a_pr_sha_that_is_not_a_full_lowercase_sha_is_refused_before_git_runs(string sha)
    {
        await CreateRepositoriesAsync();

        var fetch = await RunScriptAsync("fetch-pr.sh", [], new() { ["TARGET_SHA"] = sha });
        var command = await RunScriptAsync("sandbox-command.sh", [], new() { ["PR_SHA"] = sha, ["COMMAND"] = "true" });

        Assert.Equal(1, fetch.ExitCode);
        Assert.Contains("pr_sha must be a full 40-character", fetch.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, command.ExitCode);
        Assert.False(File.Exists(Path.Combine(_checkout, "pwned")));
    }

    [Fact]
    public async Task SEC_15_the_fetch_token_is_used_for_one_command_and_never_written_to_git_config()
    {
        await CreateRepositoriesAsync();
        const string token = "ghs_tokenForThisTestOnly0123456789";

        var fetch = await RunScriptAsync("fetch-pr.sh", [], new() { ["TARGET_SHA"] = _prSha, ["GIT_FETCH_TOKEN"] = token });

        Assert.True(fetch.ExitCode == 0, fetch.Stderr);
        var gitDirectory = Path.Combine(_checkout, ".git");
        foreach (var file in Directory.EnumerateFiles(gitDirectory, "*", SearchOption.AllDirectories))
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.False(
                System.Text.Encoding.Latin1.GetString(bytes).Contains(token, StringComparison.Ordinal),
                $"the token was written to {Path.GetRelativePath(gitDirectory, file)}");
        }
    }

    [Fact]
    public async Task SEC_15_a_checkout_with_persisted_credentials_is_refused()
    {
        await CreateRepositoriesAsync();
        await GitAsync(_checkout, "config", "http.https://github.com/.extraheader", "AUTHORIZATION: basic eA==");

        var fetch = await RunScriptAsync("fetch-pr.sh", [], new() { ["TARGET_SHA"] = _prSha });

        Assert.Equal(1, fetch.ExitCode);
        Assert.Contains("persist-credentials: false", fetch.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GHA_08_SEC_16_merge_mode_merges_with_a_fixed_identity_then_runs_the_command_with_arguments_intact()
    {
        await CreateRepositoriesAsync();
        await GitAsync(_checkout, "commit", "--allow-empty", "-m", "base moves on");
        Assert.Equal(0, (await RunScriptAsync("fetch-pr.sh", [], new() { ["TARGET_SHA"] = _prSha })).ExitCode);
        const string userCommand = "printf '%s|' \"$0\" \"$1\" 'a b' \"$(cat pr.txt)\"";

        var argv = await SandboxArgvAsync(userCommand, merge: "true");
        var run = await ExternalCommand.RunAsync(argv[0], argv.Skip(1), Timeout, _checkout, GitEnvironment());

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.EndsWith($"\n_|{_prSha}|a b|from the PR|", run.Stdout, StringComparison.Ordinal);
        var parents = await GitAsync(_checkout, "log", "-1", "--format=%P %an");
        Assert.Contains(_prSha, parents.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("airut-sandbox", parents.Stdout.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GHA_08_checkout_mode_checks_the_commit_out_and_fails_the_step_when_the_command_fails()
    {
        await CreateRepositoriesAsync();
        Assert.Equal(0, (await RunScriptAsync("fetch-pr.sh", [], new() { ["TARGET_SHA"] = _prSha })).ExitCode);

        var argv = await SandboxArgvAsync("git rev-parse HEAD; exit 7", merge: "false");
        var run = await ExternalCommand.RunAsync(argv[0], argv.Skip(1), Timeout, _checkout, GitEnvironment());

        Assert.Equal(7, run.ExitCode);
        Assert.Equal(_prSha, run.Stdout.Trim());
    }

    [Fact]
    public async Task GHA_05_GHA_06_cache_keys_use_the_full_hashes_and_the_cache_version()
    {
        var repo = new string('a', 64);
        var proxy = new string('b', 64);

        var keys = await RunScriptAsync("cache-keys.sh", [], new() { ["CACHE_VERSION"] = "3" }, $"repo={repo}\nproxy={proxy}\n");

        Assert.Equal(0, keys.ExitCode);
        Assert.Equal($"repo-key=airut-repo-{repo}-v3\nproxy-key=airut-proxy-{proxy}-v3\n", keys.Stdout);
    }

    [Theory]
    [InlineData("")]
    [InlineData("repo=abc\nproxy=def\n")]
    [InlineData("repo=\nproxy=\n")]
    [InlineData("2026-01-01 [INFO] log line\n")]
    public async Task SEC_17_broken_image_hash_output_fails_instead_of_yielding_empty_cache_keys(string input)
    {
        var keys = await RunScriptAsync("cache-keys.sh", [], [], input);

        Assert.Equal(1, keys.ExitCode);
        Assert.Equal("", keys.Stdout);
    }

    private async Task<string[]> SandboxArgvAsync(string command, string merge)
    {
        var result = await RunScriptAsync("sandbox-command.sh", [], new() { ["PR_SHA"] = _prSha, ["COMMAND"] = command, ["MERGE"] = merge });
        Assert.True(result.ExitCode == 0, result.Stderr);
        var argv = result.Stdout.Split('\0', StringSplitOptions.None)[..^1];
        Assert.Equal(6, argv.Length);
        Assert.Equal(["bash", "-c"], argv[..2]);
        Assert.Equal(["_", _prSha, command], argv[3..]);
        return argv;
    }

    private async Task CreateRepositoriesAsync()
    {
        var source = Path.Combine(_root.FullName, "source");
        Directory.CreateDirectory(Path.Combine(source, ".airut"));
        await GitAsync(_root.FullName, "init", "-q", "-b", "main", source);
        await File.WriteAllTextAsync(Path.Combine(source, ".airut", "network-allowlist.yaml"), TrustedAllowlist);
        await GitAsync(source, "add", ".");
        await GitAsync(source, "commit", "-q", "-m", "trusted base");

        await GitAsync(source, "checkout", "-q", "-b", "pr");
        await File.WriteAllTextAsync(Path.Combine(source, ".airut", "network-allowlist.yaml"), TamperedAllowlist);
        await File.WriteAllTextAsync(Path.Combine(source, "pr.txt"), "from the PR");
        await GitAsync(source, "add", ".");
        await GitAsync(source, "commit", "-q", "-m", "PR tampers with .airut");
        _prSha = (await GitAsync(source, "rev-parse", "HEAD")).Stdout.Trim();
        await GitAsync(source, "update-ref", "refs/pull/1/head", _prSha);
        await GitAsync(source, "checkout", "-q", "main");
        await GitAsync(source, "branch", "-q", "-D", "pr");

        await GitAsync(_root.FullName, "clone", "-q", "--bare", source, _origin);
        await GitAsync(_origin, "config", "uploadpack.allowAnySHA1InWant", "true");
        await GitAsync(_root.FullName, "clone", "-q", "--branch", "main", _origin, _checkout);
    }

    private Dictionary<string, string?> GitEnvironment() => new()
    {
        ["HOME"] = _home,
        ["GIT_CONFIG_NOSYSTEM"] = "1",
        ["GIT_AUTHOR_NAME"] = null,
        ["GIT_AUTHOR_EMAIL"] = null,
        ["GIT_COMMITTER_NAME"] = null,
        ["GIT_COMMITTER_EMAIL"] = null,
        ["EMAIL"] = null,
    };

    private async Task<ExternalCommand.Result> GitAsync(string directory, params string[] arguments)
    {
        var environment = GitEnvironment();
        environment["GIT_AUTHOR_NAME"] = environment["GIT_COMMITTER_NAME"] = "test";
        environment["GIT_AUTHOR_EMAIL"] = environment["GIT_COMMITTER_EMAIL"] = "test@example.test";
        var result = await ExternalCommand.RunAsync("git", arguments, Timeout, directory, environment);
        Assert.True(result.ExitCode == 0, $"git {string.Join(' ', arguments)}: {result.Stderr}");
        return result;
    }

    private async Task<ExternalCommand.Result> RunScriptAsync(
        string script, string[] arguments, Dictionary<string, string?> environment, string? stdin = null)
    {
        var path = Path.Combine(RepositoryRoot.Path, "samples", "action", "scripts", script);
        foreach (var (name, value) in GitEnvironment())
        {
            environment.TryAdd(name, value);
        }

        if (stdin is null)
        {
            return await ExternalCommand.RunAsync("bash", [path, .. arguments], Timeout, _checkout, environment);
        }

        var input = Path.Combine(_root.FullName, "stdin.txt");
        await File.WriteAllTextAsync(input, stdin);
        return await ExternalCommand.RunAsync("bash", ["-c", "exec bash \"$0\" < \"$1\"", path, input], Timeout, _root.FullName, environment);
    }
}
