using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Abstractions.Logging;
using Airut.Sandbox.Core.Egress;
using Airut.Sandbox.Core.NetworkLog;
using Airut.Sandbox.Proxy;
using Airut.Sandbox.Proxy.Configuration;
using Airut.Sandbox.Proxy.Dns;
using Microsoft.Extensions.Logging;

// airut-proxy: the program in the proxy container: the HTTP(S) engine and the DNS responder of one run.
// `airut-proxy --config FILE` (or `--config -` for stdin), optionally `--ready-file PATH` and
// `--log-level trace|debug|information|warning|error|critical` (LOG-03 debug mode; default: warnings); prints
// `airut-proxy ready ...` once every listener accepts. Exit codes: 0 after SIGTERM/SIGINT, 2 usage, 78 bad configuration,
// 1 start-up failure (a listener could not be bound).
const int UsageExit = 2;
const int ConfigExit = 78;
const int StartExit = 1;
var trace = new StartupTrace();

string? configPath = null;
string? readyFile = null;
LogLevel? logLevel = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--config" when i + 1 < args.Length && configPath is null:
            configPath = args[++i];
            break;
        case "--ready-file" when i + 1 < args.Length && readyFile is null:
            readyFile = args[++i];
            break;
        case "--log-level" when i + 1 < args.Length && logLevel is null && ProxyLogFilter.TryParseLevel(args[i + 1], out var level):
            logLevel = level;
            i++;
            break;
        default:
            await Console.Error.WriteLineAsync(
                $"airut-proxy: unexpected argument '{args[i]}'. Usage: airut-proxy --config FILE|- [--ready-file PATH] [--log-level {string.Join('|', ProxyLogFilter.LevelNames)}]").ConfigureAwait(false);
            return UsageExit;
    }
}

if (configPath is null)
{
    await Console.Error.WriteLineAsync("airut-proxy: --config FILE|- is required").ConfigureAwait(false);
    return UsageExit;
}

using var stopping = new CancellationTokenSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

trace.Mark("signals");
using var loggerFactory = new LoggerFactory([new StdoutLineLoggerProvider(Console.Out)], ProxyLogFilter.Create(logLevel));

trace.Mark("logging");
Airut.Sandbox.Abstractions.Proxy.ProxyConfiguration configuration;
AllowlistEgressPolicy policy;
Airut.Sandbox.Abstractions.Credentials.ICredentialMasker? masker;
Airut.Sandbox.Abstractions.Credentials.IRequestSigner? signer;
try
{
    using var stdin = Console.OpenStandardInput();
    configuration = await ProxyConfigurationReader.ReadAsync(configPath, stdin, stopping.Token).ConfigureAwait(false);
    trace.Mark("config");
    policy = new AllowlistEgressPolicy(ProxyConfigurationReader.ToAllowlist(configuration.Allowlist), loggerFactory.CreateLogger<AllowlistEgressPolicy>());
    masker = ProxyCredentialStages.CreateMasker(configuration, loggerFactory);
    signer = ProxyCredentialStages.CreateSigner(configuration, loggerFactory);
    trace.Mark("policy+credentials");
}
catch (SandboxConfigurationException ex)
{
    await Console.Error.WriteLineAsync($"airut-proxy: configuration error: {ex.Message}").ConfigureAwait(false);
    return ConfigExit;
}

using var fileLog = configuration.NetworkLogPath is { } logPath
    ? new NetworkLogWriter(new NetworkLogWriterOptions { Path = logPath }, Console.Out, loggerFactory.CreateLogger<NetworkLogWriter>())
    : null;
INetworkLog log = fileLog ?? (INetworkLog)new StdoutOnlyNetworkLog();

// LOG-3: the marker goes first, before any listener can produce a line.
log.Write(NetworkLogLines.TaskStart(DateTimeOffset.UtcNow));
trace.Mark("network-log");

// The DNS responder starts first (LOG-3 [I]): by the time the HTTP listeners accept, names already resolve.
var dnsResponders = new List<DnsResponder>();
EgressProxy proxy;
try
{
    foreach (var (endpoint, index) in configuration.Listen.Dns.Select((e, i) => (e, i)))
    {
        var bind = ProxyConfigurationReader.ParseEndpoint(endpoint, configPath, $"listen.dns[{index}]");
        var responder = new DnsResponder(
            new DnsResponderOptions { ProxyAddress = IPAddress.Parse(configuration.Listen.DnsAnswer!), ListenAddress = bind.Address, Port = bind.Port },
            log,
            loggerFactory.CreateLogger<DnsResponder>());
        dnsResponders.Add(responder);
        responder.Start();
    }

    trace.Mark("dns");
    proxy = await EgressProxy.StartAsync(configuration, policy, signer, masker, log, loggerFactory, stopping.Token).ConfigureAwait(false);
}
catch (Exception ex) when (ex is SandboxConfigurationException or IOException or SocketException)
{
    foreach (var responder in dnsResponders)
    {
        await responder.DisposeAsync().ConfigureAwait(false);
    }

    await Console.Error.WriteLineAsync(ex is SandboxConfigurationException
        ? $"airut-proxy: configuration error: {ex.Message}"
        : $"airut-proxy: cannot start listening: {ex.Message}").ConfigureAwait(false);
    return ex is SandboxConfigurationException ? ConfigExit : StartExit;
}

await using (proxy.ConfigureAwait(false))
{
    var endpoints = string.Join(' ', proxy.HttpEndpoints.Select(e => "http=" + e)
        .Concat(proxy.HttpsEndpoints.Select(e => "https=" + e))
        .Concat(dnsResponders.Select(d => "dns=" + d.UdpEndPoint)));
    trace.Mark("http");
    if (readyFile is not null)
    {
        await File.WriteAllTextAsync(readyFile, endpoints + "\n").ConfigureAwait(false);
    }

    await Console.Out.WriteLineAsync($"airut-proxy ready {endpoints}").ConfigureAwait(false);
    await Console.Out.FlushAsync().ConfigureAwait(false);
    trace.Mark("ready");

    try
    {
        await Task.Delay(Timeout.Infinite, stopping.Token).ConfigureAwait(false);
    }
    catch (OperationCanceledException)
    {
        // SIGTERM or SIGINT: stop accepting, give in-flight requests a moment, exit 0.
    }

    using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
    await proxy.StopAsync(grace.Token).ConfigureAwait(false);
    foreach (var responder in dnsResponders)
    {
        await responder.DisposeAsync().ConfigureAwait(false);
    }
}

return 0;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stopping.Cancel();
}

/// <summary>Without a network log file (LOG-1) loud lines still reach stdout (LOG-13).</summary>
internal sealed class StdoutOnlyNetworkLog : INetworkLog
{
    private readonly Lock _gate = new();

    public void Write(NetworkLogLine line)
    {
        if (line is { Loud: true })
        {
            lock (_gate)
            {
                Console.Out.WriteLine(NetworkLogEscaping.EscapeText(line.Text));
            }
        }
    }
}
