using System.CommandLine;
using System.CommandLine.Parsing;

namespace Airut.Sandbox.Cli;

/// <summary>The <c>airut-sandbox</c> command line (CLI-01..CLI-04): <c>run</c> and <c>image hash|save|load</c>.
/// Usage errors exit 125, not 2, so they cannot be confused with the command's own exit code 2.</summary>
internal sealed class CliApplication
{
    private readonly Option<bool> _verbose = new("--verbose") { Description = "Log progress (INFO) and set AIRUT_VERBOSE=1 in the container." };
    private readonly Option<bool> _debug = new("--debug") { Description = "Log everything (DEBUG); implies --verbose." };
    private readonly Option<string?> _log = new("--log") { Description = "Append our log to FILE instead of stderr.", HelpName = "FILE" };
    private readonly Option<string?> _containerCommand = new("--container-command")
    {
        Description = "Container engine: podman, docker, or the path of a podman binary. Default: AIRUT_CONTAINER_RUNTIME, else whichever engine answers.",
        HelpName = "CMD",
    };

    private readonly Option<string?> _dockerfile = new("--dockerfile") { Description = "Repository image Dockerfile (default .airut/container/Dockerfile).", HelpName = "PATH" };
    private readonly Option<string?> _contextDir = new("--context-dir") { Description = "Build context (default: the Dockerfile's directory).", HelpName = "PATH" };
    private readonly Option<string?> _proxyBase = new("--proxy-base-image")
    {
        Description = $"Base image of the proxy image (default mcr.microsoft.com/dotnet/runtime-deps:10.0, or {SandboxServices.ProxyBaseImageVariable}).",
        HelpName = "IMAGE",
    };

    private readonly Option<string?> _config = new("--config") { Description = "Sandbox configuration (default .airut/sandbox.yaml; a named file must exist).", HelpName = "PATH" };
    private readonly Option<string?> _allowlist = new("--allowlist") { Description = "Network allowlist (default .airut/network-allowlist.yaml; missing default = block everything).", HelpName = "PATH" };
    private readonly Option<int?> _timeout = new("--timeout") { Description = "Kill the command after SECONDS (at least 10) and exit 124.", HelpName = "SECONDS" };
    private readonly Option<string[]> _mount = new("--mount") { Description = "Extra bind mount SRC:DST or SRC:DST:ro (repeatable); DST /workspace replaces the workspace mount.", HelpName = "SRC:DST[:ro]" };
    private readonly Option<int?> _maxImageAge = new("--max-image-age") { Description = "Rebuild images older than HOURS (default 24; 0 always rebuilds).", HelpName = "HOURS" };
    private readonly Option<string?> _networkLog = new("--network-log") { Description = "Append the network log to FILE and keep it.", HelpName = "FILE" };
    private readonly Option<bool> _networkLogLive = new("--network-log-live") { Description = "Print network log lines to stderr as [net] LINE while the command runs." };
    private readonly Option<string?> _egressNetwork = new("--egress-network") { Description = "Attach the proxy to this existing network instead of the shared egress network.", HelpName = "NAME" };
    private readonly Option<string?> _proxyLogLevel = CreateProxyLogLevelOption();
    private readonly Argument<string> _directory = new("DIR") { Description = "Directory holding repo.tar and proxy.tar." };

    private readonly TextWriter _stdout;
    private readonly TextWriter _stderr;
    private readonly ShutdownSignals _signals;
    private IReadOnlyList<string> _command = [];

    public CliApplication(TextWriter stdout, TextWriter stderr, ShutdownSignals signals)
    {
        _stdout = stdout;
        _stderr = stderr;
        _signals = signals;
    }

    public async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var split = ArgumentSplit.Of(args);
        _command = split.Command;
        var first = split.Options.Count > 0 ? split.Options[0] : null;
        if (first is null)
        {
            return Fail("No subcommand specified (use 'run' or 'image')");
        }

        if (!first.StartsWith('-') && first is not ("run" or "image"))
        {
            return Fail($"Unknown subcommand: {first}");
        }

        if (first == "image")
        {
            var second = split.Options.Skip(1).FirstOrDefault(token => !token.StartsWith('-'));
            if (second is null)
            {
                return Fail("No image command specified (use 'hash', 'save', or 'load')");
            }

            if (second is not ("hash" or "save" or "load"))
            {
                return Fail($"Unknown image command: {second}");
            }
        }

        var parse = CreateRoot().Parse(split.Options.ToArray(), new ParserConfiguration());
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                _stderr.WriteLine($"airut-sandbox: {error.Message}");
            }

            _stderr.WriteLine("Run 'airut-sandbox --help' for usage.");
            return ExitCodes.SandboxFailure;
        }

        // ShutdownSignals owns SIGINT/SIGTERM. System.CommandLine's own handling (on by default) would return 130 two
        // seconds after the signal, ending the process before the runner has stopped the container and torn down.
        var invocation = new InvocationConfiguration { Output = _stdout, Error = _stderr, ProcessTerminationTimeout = null };
        return await parse.InvokeAsync(invocation, _signals.Token).ConfigureAwait(false);
    }

    private RootCommand CreateRoot()
    {
        var run = new Command("run", "Run COMMAND in a sandbox: a container whose only way out is the allowlisting egress proxy.\nUsage: airut-sandbox run [options] -- COMMAND [ARGS...]");
        Add(run, _config, _dockerfile, _contextDir, _allowlist, _timeout, _containerCommand, _mount, _maxImageAge, _networkLog, _networkLogLive,
            _egressNetwork, _proxyBase, _proxyLogLevel, _log, _verbose, _debug);
        run.SetAction((parse, _) => RunCommandHandler.RunAsync(Settings(parse), new RunSettings
        {
            ConfigPath = parse.GetValue(_config),
            AllowlistPath = parse.GetValue(_allowlist),
            TimeoutSeconds = parse.GetValue(_timeout),
            Mounts = parse.GetValue(_mount) ?? [],
            MaxImageAgeHours = parse.GetValue(_maxImageAge),
            NetworkLogPath = parse.GetValue(_networkLog),
            NetworkLogLive = parse.GetValue(_networkLogLive),
            EgressNetwork = parse.GetValue(_egressNetwork),
        }, _command, _stdout, _stderr, _signals));

        var hash = new Command("hash", "Print the content hashes of the repository and proxy images (repo=HEX, proxy=HEX) for cache keys.");
        Add(hash, _dockerfile, _contextDir, _proxyBase, _log, _verbose, _debug);
        hash.SetAction(parse => ImageCommandHandler.Hash(Settings(parse), _stdout));

        var save = new Command("save", "Build missing images and save them to DIR/repo.tar and DIR/proxy.tar.");
        save.Arguments.Add(_directory);
        Add(save, _dockerfile, _contextDir, _proxyBase, _containerCommand, _log, _verbose, _debug);
        save.SetAction((parse, token) => ImageCommandHandler.SaveAsync(Settings(parse), parse.GetValue(_directory)!, token));

        var load = new Command("load", "Load DIR/repo.tar and DIR/proxy.tar when present (always exits 0).");
        load.Arguments.Add(_directory);
        Add(load, _containerCommand, _log, _verbose, _debug);
        load.SetAction((parse, token) => ImageCommandHandler.LoadAsync(Settings(parse), parse.GetValue(_directory)!, token));

        var image = new Command("image", "Image cache commands for CI: hash, save, load.") { hash, save, load };
        return new RootCommand("airut-sandbox: run untrusted code in a container that can reach only allowlisted hosts, with secrets masked.")
        {
            run,
            image,
        };
    }

    private CliSettings Settings(ParseResult parse) => new()
    {
        Verbose = parse.GetValue(_verbose),
        Debug = parse.GetValue(_debug),
        LogPath = parse.GetValue(_log),
        ContainerCommand = GetIfDefined(parse, _containerCommand),
        DockerfilePath = GetIfDefined(parse, _dockerfile),
        ContextDirectory = GetIfDefined(parse, _contextDir),
        ProxyBaseImage = GetIfDefined(parse, _proxyBase),
        ProxyLogLevel = GetIfDefined(parse, _proxyLogLevel) is { } level ? ProxyLogLevelNames[level] : null,
    };

    private static readonly Dictionary<string, Microsoft.Extensions.Logging.LogLevel> ProxyLogLevelNames = new(StringComparer.Ordinal)
    {
        ["trace"] = Microsoft.Extensions.Logging.LogLevel.Trace,
        ["debug"] = Microsoft.Extensions.Logging.LogLevel.Debug,
        ["information"] = Microsoft.Extensions.Logging.LogLevel.Information,
        ["warning"] = Microsoft.Extensions.Logging.LogLevel.Warning,
    };

    private static Option<string?> CreateProxyLogLevelOption()
    {
        var option = new Option<string?>("--proxy-log-level")
        {
            Description = "Troubleshooting: the proxy's log level (debug: one line per egress decision, masked-secret injection and AWS re-signing, " +
                          "by name, never a secret value; trace: also its HTTP server). Its lines are logged (INFO) when the run ends; implies INFO logging.",
            HelpName = "LEVEL",
        };
        option.AcceptOnlyFromAmong([.. ProxyLogLevelNames.Keys]);
        return option;
    }

    private static string? GetIfDefined(ParseResult parse, Option<string?> option) =>
        parse.CommandResult.Command.Options.Contains(option) ? parse.GetValue(option) : null;

    private static void Add(Command command, params Option[] options)
    {
        foreach (var option in options)
        {
            command.Options.Add(option);
        }
    }

    private int Fail(string message)
    {
        _stderr.WriteLine($"airut-sandbox: {message}");
        return ExitCodes.SandboxFailure;
    }
}
