using System.Globalization;
using Airut.Sandbox.Abstractions.Credentials;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Airut.Sandbox.Core.Credentials;

/// <summary>
/// Masked-secret replacement (credentials-cli.md §2.4 to §2.12) at header-entry level (SEC-12): for each in-scope
/// entry, the replace pass swaps the surrogate for the real value in the first matching header entry that holds it
/// (directly or inside Basic auth), the collapse pass leaves that header with exactly one entry, and the strip pass
/// removes foreign credentials from exact header names. Never touches the body, the path or the query (MS-29).
/// <para>At Debug it names, per request, each in-scope secret and the header it was injected into or why not (LOG-03
/// debug mode): names, hosts and header names only, never a value.</para>
/// <para>Deviations adopted: no injection over plaintext <c>http</c> (CRED-07; the surrogate stays and a note says
/// so); a Basic credential is replaced only when the surrogate is a whole field and a surrogate username comes with
/// an empty password (CRED-05); <c>Proxy-Authorization</c> is never replaced (CRED-06).</para>
/// </summary>
public sealed partial class SurrogateCredentialMasker : ICredentialMasker
{
    private const string AuthorizationHeader = "authorization";
    private const string ProxyAuthorizationHeader = "proxy-authorization";

    private readonly SurrogateReplacementMap _map;
    private readonly ILogger _logger;

    /// <summary>Creates the masker over a replacement map.</summary>
    public SurrogateCredentialMasker(SurrogateReplacementMap map, ILogger<SurrogateCredentialMasker>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(map);
        _map = map;
        _logger = logger ?? NullLogger<SurrogateCredentialMasker>.Instance;
    }

    /// <inheritdoc />
    public MaskingResult Apply(ProxiedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_map.Entries.Count == 0)
        {
            return MaskingResult.None;
        }

        var pass = new Pass(request, _logger);
        foreach (var entry in _map.Entries)
        {
            if (entry.IsInScope(request.Host))
            {
                pass.Replace(entry);
            }
        }

        pass.Strip();
        return pass.Result();
    }

    /// <summary>The state of one <see cref="Apply"/> call.</summary>
    private sealed class Pass(ProxiedRequest request, ILogger logger)
    {
        private readonly List<HeaderField> _headers = request.Headers;
        private readonly bool _mayInject = string.Equals(request.Scheme, "https", StringComparison.OrdinalIgnoreCase);
        private readonly HashSet<string> _replaced = new(StringComparer.OrdinalIgnoreCase);
        private List<(string Name, SurrogateCredential Entry)>? _stripCandidates;
        private List<string>? _notes;
        private int _masked;
        private int _collapsed;
        private int _dropped;

        public void Replace(SurrogateCredential entry)
        {
            var hits = 0;
            foreach (var (name, match) in MatchingNames(entry))
            {
                var hit = FindHit(name, entry, out var newValue, out var refusedComposite);
                if (hit >= 0)
                {
                    hits++;
                    _replaced.Add(name);
                    if (!_mayInject)
                    {
                        LogWithheld(logger, entry.Secret.EnvName, name, request.Host);
                        Note($"WITHHELD credential for header '{Lower(name)}' in {Describe()} (plaintext http upstream; surrogate left in place)");
                        continue;
                    }

                    _headers[hit] = _headers[hit] with { Value = newValue! };
                    Collapse(name, hit);
                    _masked++;
                    LogInjected(logger, entry.Secret.EnvName, name, request.Host);
                    continue;
                }

                if (refusedComposite)
                {
                    Note($"REFUSED composite Basic credential in header '{Lower(name)}' of {Describe()} (surrogate mixed with a foreign credential; not replaced)");
                }

                if (match == HeaderMatch.Exact)
                {
                    (_stripCandidates ??= []).Add((name, entry));
                }
            }

            if (hits == 0)
            {
                LogNoSurrogate(logger, entry.Secret.EnvName, request.Host);
            }
        }

        public void Strip()
        {
            if (_stripCandidates is null)
            {
                return;
            }

            foreach (var (name, entry) in _stripCandidates)
            {
                if (_replaced.Contains(name) || entry.Secret.AllowForeignCredentials)
                {
                    continue;
                }

                if (_headers.RemoveAll(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)) > 0)
                {
                    _dropped++;
                    Note($"STRIPPED header '{Lower(name)}' from {Describe()} (foreign credential blocked)");
                }
            }
        }

        public MaskingResult Result() =>
            _masked == 0 && _dropped == 0 && _collapsed == 0 && _notes is null
                ? MaskingResult.None
                : new MaskingResult(_masked, _dropped, _collapsed, (IReadOnlyList<string>?)_notes ?? []);

        // Distinct names (case-insensitive, first spelling) matching the entry's patterns, taken before any rewrite.
        private List<(string Name, HeaderMatch Match)> MatchingNames(SurrogateCredential entry)
        {
            var names = new List<(string Name, HeaderMatch Match)>();
            foreach (var header in _headers)
            {
                var name = header.Name;
                var match = entry.MatchHeader(name);
                if (match == HeaderMatch.None ||
                    string.Equals(name, ProxyAuthorizationHeader, StringComparison.OrdinalIgnoreCase) ||
                    Contains(names, name))
                {
                    continue;
                }

                names.Add((name, match));
            }

            return names;
        }

        private static bool Contains(List<(string Name, HeaderMatch Match)> names, string name)
        {
            foreach (var (seen, _) in names)
            {
                if (string.Equals(seen, name, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            return false;
        }

        // MS-21: every entry of the name in wire order; the first that holds the surrogate wins.
        private int FindHit(string name, SurrogateCredential entry, out string? newValue, out bool refusedComposite)
        {
            refusedComposite = false;
            for (var i = 0; i < _headers.Count; i++)
            {
                if (!string.Equals(_headers[i].Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                switch (SurrogateSubstitution.Apply(name, _headers[i].Value, entry, out newValue))
                {
                    case SubstitutionOutcome.Replaced:
                        return i;
                    case SubstitutionOutcome.RefusedComposite:
                        refusedComposite = true;
                        break;
                }
            }

            newValue = null;
            return -1;
        }

        // MS-25: the replaced entry stays where it was; every other entry of the name goes.
        private void Collapse(string name, int keep)
        {
            var removed = 0;
            for (var i = _headers.Count - 1; i >= 0; i--)
            {
                if (i != keep && string.Equals(_headers[i].Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    _headers.RemoveAt(i);
                    removed++;
                }
            }

            if (removed > 0)
            {
                _collapsed += removed;
                Note(string.Create(
                    CultureInfo.InvariantCulture,
                    $"COLLAPSED {removed} duplicate '{Lower(name)}' headers in {Describe()} (duplicate credential headers removed)"));
            }
        }

        private void Note(string line) => (_notes ??= []).Add(line);

        // "<METHOD> <URL>" as the network log shows it; the URL is the one the container sent.
        private string Describe()
        {
            var defaultPort = string.Equals(request.Scheme, "https", StringComparison.OrdinalIgnoreCase) ? 443 : 80;
            var port = request.Port == defaultPort ? string.Empty : ":" + request.Port.ToString(CultureInfo.InvariantCulture);
            return $"{request.Method} {request.Scheme}://{request.Host}{port}{request.PathAndQuery}";
        }

        private static string Lower(string name) => name.ToLowerInvariant();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Masked secret {Secret}: injected into header '{Header}' for {Host}")]
    private static partial void LogInjected(ILogger logger, string secret, string header, string host);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Masked secret {Secret}: withheld from header '{Header}' for {Host} (plaintext http upstream)")]
    private static partial void LogWithheld(ILogger logger, string secret, string header, string host);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Masked secret {Secret}: in scope for {Host}, but no header held its surrogate")]
    private static partial void LogNoSurrogate(ILogger logger, string secret, string host);
}
