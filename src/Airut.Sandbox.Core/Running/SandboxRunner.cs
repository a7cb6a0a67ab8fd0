using System.Text.Json;
using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Abstractions.Proxy;
using Airut.Sandbox.Abstractions.Running;
using Airut.Sandbox.Abstractions.Runtime;
using Airut.Sandbox.Core.Aws;
using Airut.Sandbox.Core.Configuration;
using Airut.Sandbox.Core.Credentials;
using Airut.Sandbox.Core.Images;
using Airut.Sandbox.Core.NetworkLog;
using Airut.Sandbox.Core.Tls;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Airut.Sandbox.Core.Running;

/// <summary>
/// Runs one command in a sandbox ("One run, as data flows" in ARCHITECTURE.md): load and read every trusted input
/// first (CLI-41), images, a private run directory, the per-run internal network, the proxy, the client container
/// with its output streamed as lines, timeout (124), OOM (137), cancellation (stopped within the grace period),
/// and teardown of everything the run created, always.
/// </summary>
public sealed partial class SandboxRunner : ISandboxRunner
{
    /// <summary>Exit code of a run whose timeout fired (CLI-60).</summary>
    public const int TimeoutExitCode = 124;

    /// <summary>Exit code of a run killed for memory.</summary>
    public const int OomExitCode = 137;

    private readonly IContainerRuntime _runtime;
    private readonly SandboxDefinitionLoader _definitions;
    private readonly ImageCache _images;
    private readonly InternalNetworkAllocator _subnets;
    private readonly DeadRunSweeper _sweeper;
    private readonly IProcessIdentityReader _processes;
    private readonly IEnvironmentVariableSource _environment;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger<SandboxRunner> _logger;
    private readonly SandboxOptions _options;
    private readonly Lock _sweepLock = new();
    private Task? _sweep;

    /// <summary>Creates the runner; the options are validated here.</summary>
    public SandboxRunner(
        IContainerRuntime runtime,
        SandboxDefinitionLoader definitions,
        ImageCache images,
        InternalNetworkAllocator subnets,
        DeadRunSweeper sweeper,
        IProcessIdentityReader processes,
        IEnvironmentVariableSource environment,
        TimeProvider time,
        IOptions<SandboxOptions> options,
        ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        _runtime = runtime;
        _definitions = definitions;
        _images = images;
        _subnets = subnets;
        _sweeper = sweeper;
        _processes = processes;
        _environment = environment;
        _time = time;
        _options = options.Value;
        _loggers = loggers;
        _logger = loggers.CreateLogger<SandboxRunner>();
    }

    /// <inheritdoc />
    public async Task<SandboxRunResult> RunAsync(SandboxRunRequest request, ISandboxOutput output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        var started = _time.GetTimestamp();
        var plan = await PrepareAsync(request, cancellationToken).ConfigureAwait(false);
        var maxAge = request.MaxImageAge ?? _options.MaxImageAge;
        var repositoryTag = ImageCache.TagFor(_options.ResourcePrefix, "repo", plan.RepositoryImage);
        var proxyTag = plan.ProxyImage is null ? null : ImageCache.TagFor(_options.ResourcePrefix, "proxy", plan.ProxyImage);
        var owner = _processes.Current;
        var names = new RunResourceNames(_options.ResourcePrefix, RunId.New());
        var run = new RunResources(names);

        // Leftovers of dead runs hold nothing this run needs (the subnet allocator steps over a subnet still taken),
        // so the sweep runs alongside the start; it is awaited before this method returns.
        var sweep = SweepOnceAsync();
        (int ExitCode, bool TimedOut, bool OomKilled) outcome;
        try
        {
            run.Directory = RunDirectory.Create(_options.RunDirectoryRoot, names.RunId, owner);
            var entrypoint = run.Directory.WritePublicFile("entrypoint.sh", PassthroughEntrypoint.ScriptBytes.Span);

            // Two chains at once: the proxy's (its image, the egress and internal networks, then create, start and
            // ready) and the client's (its image and the internal network, then create); the client is started only
            // once both are done. Task.WhenAll waits for every task, so whatever one created is in `run` for the
            // teardown even when another failed.
            var repositoryImage = _images.EnsureAsync(plan.RepositoryImage, repositoryTag, maxAge, request.ForceImageBuild, cancellationToken);
            Task network = Task.CompletedTask;
            Task proxy = Task.CompletedTask;
            string? caCertificate = null;
            if (plan.NetworkSandbox)
            {
                caCertificate = WriteProxyFiles(plan, run);
                network = CreateInternalNetworkAsync(run, owner, cancellationToken);
                proxy = StartProxyAsync(
                    _images.EnsureAsync(plan.ProxyImage!, proxyTag!, maxAge, force: false, cancellationToken),
                    EnsureEgressNetworkAsync(request, plan.Definition.Configuration, names, cancellationToken),
                    network, plan, proxyTag!, owner, run, cancellationToken);
            }

            var client = CreateClientAsync(repositoryImage, network, request, plan, repositoryTag, entrypoint, caCertificate, owner, run, cancellationToken);
            await Task.WhenAll(repositoryImage, network, proxy, client).ConfigureAwait(false);
            var readyAfter = (long)_time.GetElapsedTime(started).TotalMilliseconds;
            LogRunReady(names.RunId.Value, readyAfter);
            outcome = await ExecuteAsync(request, plan, run, output, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            // The host side of the run (its private directory, the network log) could not be written, e.g. a full disk.
            // The message names paths and the OS error only, never file contents.
            throw new SandboxInfrastructureException($"Could not write the run's host files: {ex.Message}", ex);
        }
        finally
        {
            await TeardownAsync(run).ConfigureAwait(false);
            if (run.Client is not null)
            {
                SweepPlantedPrivileges(WritableMounts(plan.Definition, request).Select(m => m.HostPath));
            }

            await sweep.ConfigureAwait(false);
        }

        return new SandboxRunResult(outcome.ExitCode, _time.GetElapsedTime(started), outcome.TimedOut, outcome.OomKilled, plan.KeptNetworkLogPath);
    }

    private async Task<RunPlan> PrepareAsync(SandboxRunRequest request, CancellationToken cancellationToken)
    {
        if (request.Command.Count == 0)
        {
            throw new SandboxConfigurationException("No command specified after --", key: "command");
        }

        if (!Path.IsPathFullyQualified(request.WorkspaceDirectory))
        {
            throw new SandboxConfigurationException($"Workspace directory must be an absolute path: {request.WorkspaceDirectory}", key: "workspace");
        }

        var definition = await _definitions.LoadAsync(
            new SandboxDefinitionSources(request.WorkspaceDirectory, request.ConfigPath, request.AllowlistPath, request.DockerfilePath, request.ContextDirectory),
            cancellationToken).ConfigureAwait(false);
        var configuration = definition.Configuration;
        foreach (var warning in ConfigurationWarnings.For(definition))
        {
            LogConfigurationWarning(warning);
        }

        if (configuration.ResourceLimits.DiskBytes is not null)
        {
            DiskLimitMountCheck.Check(
                configuration.ResourceLimits, WritableMounts(definition, request), await MountTable.ReadAsync(cancellationToken).ConfigureAwait(false),
                path => new DriveInfo(path).AvailableFreeSpace);
        }

        var timeout = request.Timeout ?? configuration.ResourceLimits.Timeout;
        if (timeout is { } limit && ResourceLimitRules.CheckTimeout((long)Math.Floor(limit.TotalSeconds)) is { } problem)
        {
            throw new SandboxConfigurationException($"'resource_limits' has invalid value: {problem}", key: "timeout");
        }

        var repositoryImage = RepositoryImageSourceReader.Read(definition.DockerfilePath, definition.ContextDirectory);
        var maskedSecrets = SurrogateReplacementMap.Create(configuration.MaskedSecrets);
        var signingCredentials = configuration.SigningCredentials.Select(CreateSurrogates).ToList();
        var surrogates = maskedSecrets.ContainerEnvironment.Concat(signingCredentials.SelectMany(c => c.ContainerEnvironment())).ToList();
        var environment = ContainerEnvironment.Assemble(configuration, _environment.GetVariable, surrogates, request.Verbose, configuration.NetworkSandbox);

        if (!configuration.NetworkSandbox)
        {
            if (configuration.MaskedSecrets.Count > 0 || configuration.SigningCredentials.Count > 0)
            {
                LogSandboxOffWithCredentials();
            }

            return new RunPlan(definition, timeout, repositoryImage, null, environment, maskedSecrets, signingCredentials, null, null);
        }

        ImageSource proxyImage;
        try
        {
            proxyImage = ProxyImageSource.Create(_options.ProxyBaseImage, _options.ProxyProgramDirectory, ProxyProgramHashCacheFile(), _time);
        }
        catch (FileNotFoundException ex)
        {
            throw new SandboxInfrastructureException(ex.Message, ex);
        }

        byte[]? upstreamCaBundle = configuration.UpstreamCaBundlePath is null ? null : await File.ReadAllBytesAsync(configuration.UpstreamCaBundlePath, cancellationToken).ConfigureAwait(false);
        string? keptLog = null;
        if (request.NetworkLogPath is not null)
        {
            keptLog = Path.GetFullPath(request.NetworkLogPath);
            Directory.CreateDirectory(Path.GetDirectoryName(keptLog)!);
            await File.AppendAllTextAsync(keptLog, string.Empty, cancellationToken).ConfigureAwait(false);

            if (IsInside(keptLog, definition.RepositoryRoot) || request.Mounts.Any(m => IsInside(keptLog, m.Source)))
            {
                LogNetworkLogInsideWorkspace(keptLog);
            }
        }

        return new RunPlan(definition, timeout, repositoryImage, proxyImage, environment, maskedSecrets, signingCredentials, upstreamCaBundle, keptLog);
    }

    /// <summary>
    /// The host paths the command can write through, as <see cref="ClientContainerSpecFactory"/> mounts them: what the
    /// disk limit must hold (RES-03) and where planted setuid bits are cleared afterwards (CT-05).
    /// </summary>
    private static IEnumerable<(string HostPath, string Name)> WritableMounts(SandboxDefinition definition, SandboxRunRequest request)
    {
        if (!request.Mounts.Any(m => m.Target.TrimEnd('/') == ClientContainerSpecFactory.WorkspacePath))
        {
            yield return (definition.RepositoryRoot, "the workspace");
        }

        foreach (var mount in request.Mounts.Where(m => !m.ReadOnly))
        {
            yield return (mount.Source, $"the mount {mount.Source}:{mount.Target}");
        }
    }

    /// <summary>Writes the per-run CA (key 0600, for the proxy only), the upstream CA bundle and the network log; returns the CA certificate's path.</summary>
    private static string WriteProxyFiles(RunPlan plan, RunResources run)
    {
        var directory = run.Directory!;
        using var authority = RunCertificateAuthority.Create($"Airut Sandbox CA {run.Names.RunId}");
        var caCertificate = directory.WritePublicFile(ProxyConfigurationFactory.CaCertificateFileName, System.Text.Encoding.ASCII.GetBytes(authority.CertificatePem));
        directory.WriteSecretFile(ProxyConfigurationFactory.CaKeyFileName, System.Text.Encoding.ASCII.GetBytes(authority.ExportPrivateKeyPem()));
        if (plan.UpstreamCaBundle is not null)
        {
            directory.WritePublicFile(ProxyConfigurationFactory.UpstreamCaBundleFileName, plan.UpstreamCaBundle);
        }

        run.NetworkLog = plan.KeptNetworkLogPath ?? directory.WriteSecretFile("network.log", []);
        run.NetworkLogStart = new FileInfo(run.NetworkLog).Length;
        return caCertificate;
    }

    private async Task CreateInternalNetworkAsync(RunResources run, ProcessIdentity owner, CancellationToken cancellationToken)
    {
        run.Network = await _subnets.CreateAsync(_runtime, run.Names.InternalNetwork, RunLabels.For(run.Names.RunId, owner, "network"), cancellationToken).ConfigureAwait(false);
    }

    private async Task CreateClientAsync(
        Task image, Task network, SandboxRunRequest request, RunPlan plan, string tag, string entrypoint, string? caCertificate, ProcessIdentity owner, RunResources run, CancellationToken cancellationToken)
    {
        await Task.WhenAll(image, network).ConfigureAwait(false);
        var client = ClientContainerSpecFactory.Create(new ClientContainerRequest
        {
            Names = run.Names,
            Image = tag,
            Command = request.Command,
            Environment = plan.Environment,
            WorkspaceDirectory = plan.Definition.RepositoryRoot,
            Mounts = request.Mounts,
            Limits = plan.Definition.Configuration.ResourceLimits,
            EntrypointHostPath = entrypoint,
            Network = run.Network,
            CaCertificateHostPath = caCertificate,
            Labels = RunLabels.For(run.Names.RunId, owner, "client"),
        });
        run.Client = await _runtime.CreateContainerAsync(client, cancellationToken).ConfigureAwait(false);
    }

    private async Task StartProxyAsync(
        Task image, Task<string> egressNetwork, Task network, RunPlan plan, string proxyTag, ProcessIdentity owner, RunResources run, CancellationToken cancellationToken)
    {
        await Task.WhenAll(image, egressNetwork, network).ConfigureAwait(false);
        var egress = await egressNetwork.ConfigureAwait(false);
        var names = run.Names;
        var directory = run.Directory!;
        var document = ProxyConfigurationFactory.Create(plan.Definition, plan.MaskedSecrets, plan.SigningCredentials, run.Network!, withNetworkLog: true);
        directory.WriteSecretFile(ProxyContainerSpecFactory.ConfigurationFileName, JsonSerializer.SerializeToUtf8Bytes(document, ProxyConfigurationJsonContext.Default.ProxyConfiguration));
        var readyFile = directory.WriteSecretFile("proxy-ready", []);
        var spec = ProxyContainerSpecFactory.Create(new ProxyContainerRequest
        {
            Names = names,
            Image = proxyTag,
            EgressNetwork = egress,
            Network = run.Network!,
            RunDirectory = directory.FullPath,
            NetworkLogHostPath = run.NetworkLog,
            ReadyFileHostPath = readyFile,
            LogLevel = _options.ProxyLogLevel,
            Labels = RunLabels.For(names.RunId, owner, "proxy"),
        });
        run.Proxy = await _runtime.CreateContainerAsync(spec, cancellationToken).ConfigureAwait(false);
        await _runtime.StartContainerAsync(run.Proxy, cancellationToken).ConfigureAwait(false);
        await ProxyReadiness.WaitAsync(_runtime, run.Proxy, readyFile, _options.ProxyReadyTimeout, _time, cancellationToken).ConfigureAwait(false);
        LogProxyReady(names.ProxyContainer, run.Network!.ProxyAddress);
    }

    private async Task<string> EnsureEgressNetworkAsync(
        SandboxRunRequest request, SandboxConfiguration configuration, RunResourceNames names, CancellationToken cancellationToken)
    {
        if ((request.EgressNetwork ?? configuration.EgressNetwork) is { } named)
        {
            // A named network belongs to the user: it must exist, and the sandbox never creates or removes it.
            return await _runtime.InspectNetworkAsync(named, cancellationToken).ConfigureAwait(false) is not null
                ? named
                : throw new SandboxInfrastructureException($"Egress network {named} does not exist; egress_network must name an existing network.");
        }

        var shared = _options.SharedEgressNetwork ?? names.SharedEgressNetwork;
        if (await _runtime.InspectNetworkAsync(shared, cancellationToken).ConfigureAwait(false) is not null)
        {
            return shared;
        }

        // Shared by every run of this prefix and never removed, so no run can cut off another's proxy (SEC-38).
        var labels = new Dictionary<string, string>(StringComparer.Ordinal) { [RunLabels.Managed] = "true", [RunLabels.Role] = "egress" };
        try
        {
            await _runtime.CreateNetworkAsync(new NetworkSpec(shared, null, Internal: false, IsolateFromHost: false, labels), cancellationToken).ConfigureAwait(false);
        }
        catch (SandboxInfrastructureException)
        {
            // Another run may have created it at the same moment; otherwise the failure stands.
            if (await _runtime.InspectNetworkAsync(shared, cancellationToken).ConfigureAwait(false) is null)
            {
                throw;
            }
        }

        return shared;
    }

    private async Task<(int ExitCode, bool TimedOut, bool OomKilled)> ExecuteAsync(
        SandboxRunRequest request, RunPlan plan, RunResources run, ISandboxOutput output, CancellationToken cancellationToken)
    {
        using var timeout = plan.Timeout is { } limit ? new CancellationTokenSource(limit, _time) : new CancellationTokenSource();
        using var proxyGone = new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token, proxyGone.Token);
        using var stopWatching = new CancellationTokenSource();
        var follow = request.FollowNetworkLog && run.NetworkLog is not null
            ? FollowNetworkLogAsync(run.NetworkLog, run.NetworkLogStart, output, stopWatching.Token)
            : Task.CompletedTask;
        var watch = run.Proxy is not null ? WatchProxyAsync(run.Proxy, proxyGone, stopWatching.Token) : Task.CompletedTask;

        var pump = new LinePump(output, _options.MaxOutputLineLength);
        try
        {
            var exit = await _runtime.RunAttachedAsync(run.Client!, pump, linked.Token).ConfigureAwait(false);
            await pump.CompleteAsync(cancellationToken).ConfigureAwait(false);
            if (proxyGone.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw ProxyDied(run.Names);
            }

            if (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // The runtime ended the container itself when the timeout fired; the timeout still wins (CLI-30).
                LogTimedOut();
                return (TimeoutExitCode, true, false);
            }

            if (exit.OomKilled)
            {
                LogOom();
                return (OomExitCode, false, true);
            }

            return (exit.ExitCode, false, false);
        }
        catch (OperationCanceledException) when (proxyGone.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            await _runtime.KillContainerAsync(run.Client!, "KILL", CancellationToken.None).ConfigureAwait(false);
            await pump.CompleteAsync(CancellationToken.None).ConfigureAwait(false);
            throw ProxyDied(run.Names);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            LogTimedOut();
            await _runtime.KillContainerAsync(run.Client!, "KILL", CancellationToken.None).ConfigureAwait(false);
            await pump.CompleteAsync(CancellationToken.None).ConfigureAwait(false);
            return (TimeoutExitCode, true, false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await StopAsync(run.Client!).ConfigureAwait(false);
            throw;
        }
        finally
        {
            await stopWatching.CancelAsync().ConfigureAwait(false);
            await follow.ConfigureAwait(false);
            await watch.ConfigureAwait(false);
        }
    }

    private async Task WatchProxyAsync(string proxy, CancellationTokenSource proxyGone, CancellationToken stop)
    {
        // The proxy is the command's only way out. When it exits or is removed mid-run, a command that goes on would
        // run without the egress it was promised and fail in confusing ways; stop it and report the run as failed.
        try
        {
            await _runtime.WaitContainerAsync(proxy, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return;
        }
        catch (SandboxInfrastructureException ex)
        {
            // A container removed while waited on surfaces as an error from the engine: it is gone all the same.
            LogProxyWaitFailed(proxy, ex.Message);
        }

        if (!stop.IsCancellationRequested)
        {
            LogProxyDied(proxy);
            await proxyGone.CancelAsync().ConfigureAwait(false);
        }
    }

    private static SandboxInfrastructureException ProxyDied(RunResourceNames names) =>
        new($"The proxy container {names.ProxyContainer} stopped during the run; the command was stopped because it had no egress left.");

    private async Task StopAsync(string container)
    {
        // SIGTERM first so the command can clean up; SIGKILL when it has not exited within the grace period (CLI-61).
        await _runtime.KillContainerAsync(container, "TERM", CancellationToken.None).ConfigureAwait(false);
        using var grace = new CancellationTokenSource(_options.StopGracePeriod, _time);
        try
        {
            await _runtime.WaitContainerAsync(container, grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await _runtime.KillContainerAsync(container, "KILL", CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task FollowNetworkLogAsync(string path, long start, ISandboxOutput output, CancellationToken stop)
    {
        var follower = new NetworkLogFollower(new NetworkLogReader(path, _loggers.CreateLogger<NetworkLogReader>()), timeProvider: _time);
        await foreach (var line in follower.FollowAsync(start, stop).ConfigureAwait(false))
        {
            await output.NetworkLogLineAsync(line, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task TeardownAsync(RunResources run)
    {
        // Always, whatever happened; each step on its own so one failure does not leak the rest (SEC-29, CLI-63).
        // The two containers go at once; the network only after both, since it cannot go while one is attached.
        var containers = new List<Task>();
        if (run.Client is not null)
        {
            containers.Add(TryAsync(() => _runtime.RemoveContainerAsync(run.Client, CancellationToken.None), run.Names.ClientContainer));
        }

        if (run.Proxy is not null)
        {
            await PassOnProxyOutputAsync(run.Proxy).ConfigureAwait(false);
            containers.Add(TryAsync(() => _runtime.RemoveContainerAsync(run.Proxy, CancellationToken.None), run.Names.ProxyContainer));
        }

        await Task.WhenAll(containers).ConfigureAwait(false);
        if (run.Network is not null)
        {
            if (await TryAsync(() => _runtime.RemoveNetworkAsync(run.Network.Name, CancellationToken.None), run.Network.Name).ConfigureAwait(false))
            {
                _subnets.Release(run.Network.Octet);
            }
        }

        if (run.Directory is not null)
        {
            try
            {
                run.Directory.Dispose();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                LogTeardownFailed(run.Directory.FullPath, ex.Message);
            }
        }
    }

    /// <summary>In the proxy's debug mode (<see cref="SandboxOptions.ProxyLogLevel"/>) its output is what the user asked
    /// for, and it goes with the container: pass it on, one log line per output line, before the removal.</summary>
    private async Task PassOnProxyOutputAsync(string proxy)
    {
        if (_options.ProxyLogLevel is null)
        {
            return;
        }

        try
        {
            var logs = await _runtime.GetLogsAsync(proxy, CancellationToken.None).ConfigureAwait(false);
            foreach (var (stream, text) in new[] { ("stdout", logs.Stdout), ("stderr", logs.Stderr) })
            {
                foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    LogProxyOutput(proxy, stream, line);
                }
            }
        }
        catch (SandboxInfrastructureException ex)
        {
            LogProxyOutputUnreadable(proxy, ex.Message);
        }
    }

    private async Task<bool> TryAsync(Func<Task> remove, string name)
    {
        try
        {
            await remove().ConfigureAwait(false);
            return true;
        }
        catch (SandboxInfrastructureException ex)
        {
            LogTeardownFailed(name, ex.Message);
            return false;
        }
    }

    private Task SweepOnceAsync()
    {
        lock (_sweepLock)
        {
            return _sweep ??= SweepAsync();
        }

        async Task SweepAsync()
        {
            try
            {
                await _sweeper.SweepAsync(_options.RunDirectoryRoot, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Leftovers of dead runs must never stop a new run.
                LogSweepFailed(ex.Message);
            }
        }
    }

    private string? ProxyProgramHashCacheFile()
    {
        try
        {
            var directory = _options.CacheDirectory ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(_options.RunDirectoryRoot))!, "cache");
            return Path.Combine(RunDirectory.PrepareRoot(directory), "proxy-program.hash");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Without a private cache directory the program is read and hashed, as before.
            LogCacheUnavailable(ex.Message);
            return null;
        }
    }

    private static AwsSurrogateCredential CreateSurrogates(SigningCredential credential)
    {
        try
        {
            return AwsSurrogateGenerator.Create(credential);
        }
        catch (ArgumentException ex)
        {
            throw new SandboxConfigurationException(ex.Message, key: $"signing_credentials.{credential.Label}");
        }
    }

    private void SweepPlantedPrivileges(IEnumerable<string> writable)
    {
        foreach (var directory in writable.Where(Directory.Exists))
        {
            try
            {
                foreach (var path in PlantedPrivilegeSweeper.Sweep(directory))
                {
                    LogPlantedPrivilegeCleared(path);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                LogTeardownFailed(directory, ex.Message);
            }
        }
    }

    private static bool IsInside(string path, string directory)
    {
        var root = Path.GetFullPath(directory).TrimEnd('/') + "/";
        return path.StartsWith(root, StringComparison.Ordinal);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "network_sandbox is false: the command has unrestricted egress, and masked or signing credentials reach it only as surrogates that no proxy will replace")]
    private partial void LogSandboxOffWithCredentials();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Configuration: {Warning}")]
    private partial void LogConfigurationWarning(string warning);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The network log {Path} is inside a container mount: the sandboxed command can read and forge it")]
    private partial void LogNetworkLogInsideWorkspace(string path);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Run {RunId}: images, networks, proxy and client ready after {Milliseconds} ms; starting the command")]
    private partial void LogRunReady(string runId, long milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Proxy {Name} ready at {Address}")]
    private partial void LogProxyReady(string name, System.Net.IPAddress address);

    [LoggerMessage(Level = LogLevel.Error, Message = "Proxy {Name} stopped during the run, stopping the command")]
    private partial void LogProxyDied(string name);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Waiting on proxy {Name} failed: {Error}")]
    private partial void LogProxyWaitFailed(string name, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Container execution timed out, killing process")]
    private partial void LogTimedOut();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Container killed by memory limit (OOM). Consider increasing resource_limits.memory in .airut/sandbox.yaml")]
    private partial void LogOom();

    [LoggerMessage(Level = LogLevel.Warning, Message = "No cache directory, the proxy program is hashed on every run: {Error}")]
    private partial void LogCacheUnavailable(string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not sweep leftovers of earlier runs: {Error}")]
    private partial void LogSweepFailed(string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cleared the setuid/setgid bits the sandboxed command set on {Path}")]
    private partial void LogPlantedPrivilegeCleared(string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Proxy {Name} {Stream}: {Line}")]
    private partial void LogProxyOutput(string name, string stream, string line);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the output of proxy {Name}: {Error}")]
    private partial void LogProxyOutputUnreadable(string name, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove {Name}: {Error}")]
    private partial void LogTeardownFailed(string name, string error);

    private sealed record RunPlan(
        SandboxDefinition Definition,
        TimeSpan? Timeout,
        ImageSource RepositoryImage,
        ImageSource? ProxyImage,
        IReadOnlyList<KeyValuePair<string, string>> Environment,
        SurrogateReplacementMap MaskedSecrets,
        IReadOnlyList<AwsSurrogateCredential> SigningCredentials,
        byte[]? UpstreamCaBundle,
        string? KeptNetworkLogPath)
    {
        public bool NetworkSandbox => ProxyImage is not null;
    }

    private sealed class RunResources(RunResourceNames names)
    {
        public RunResourceNames Names { get; } = names;

        public RunDirectory? Directory { get; set; }

        public InternalNetwork? Network { get; set; }

        public string? Proxy { get; set; }

        public string? Client { get; set; }

        public string? NetworkLog { get; set; }

        public long NetworkLogStart { get; set; }
    }
}
