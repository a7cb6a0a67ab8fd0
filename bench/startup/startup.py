#!/usr/bin/env python3
"""Sandbox start-up: `airut-sandbox run -- true` against a bare `<engine> run --rm <image> true`, same run.

Per engine: warm the images, then alternate N times (a) the bare run, (b) the sandboxed run, and for podman
(c) the sandboxed run again with --container-command pointing at a wrapper that times every podman call.
The breakdown of (b) comes from outside the runner: the engine's own events (container create/start/died,
docker's network create) against the moment the harness spawned the CLI and the moment it exited.
Prints markdown tables: wall time median/p90 of (a) and (b), the ratio, and the breakdown medians.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone

IMAGE = "localhost/airut/client:bookworm"
PROXY_BASE = "localhost/airut/debian:bookworm"


def p90(values):
    ordered = sorted(values)
    return ordered[max(0, -(-len(ordered) * 9 // 10) - 1)]


def ms(ns):
    return ns / 1e6


def run_timed(argv, cwd=None, env=None):
    start = time.time_ns()
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True)
    end = time.time_ns()
    if done.returncode != 0:
        sys.exit(f"{' '.join(argv)} exited {done.returncode}\n{done.stdout}\n{done.stderr}")
    return start, end


def run_sandboxed(argv, cwd, env, retried):
    """One sandboxed run; under heavy load the proxy can miss its ready timeout (exit 125), and such a run is
    repeated (at most twice) and counted in `retried` rather than ending the benchmark."""
    for attempt in range(3):
        start = time.time_ns()
        done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True)
        end = time.time_ns()
        if done.returncode == 0:
            return start, end
        if done.returncode != 125 or "not ready after" not in done.stderr or attempt == 2:
            sys.exit(f"{' '.join(argv)} exited {done.returncode}\n{done.stdout}\n{done.stderr}")
        retried.append(ms(end - start))
        print("  proxy not ready in time, run repeated", file=sys.stderr)


def parse_podman_time(text):
    # "2026-11-22T08:41:50.97287101Z": keep the nanoseconds that datetime cannot hold.
    head, _, frac = text.rstrip("Z").partition(".")
    seconds = datetime.fromisoformat(head + "+00:00").timestamp()
    return int(seconds) * 1_000_000_000 + int((frac + "000000000")[:9])


def engine_events(engine, since_ns, until_ns):
    """(time_ns, type, action, name) of every event in the window."""
    # podman 4.3 ignores plain unix seconds here; both engines take RFC 3339.
    since, until = (datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
                    for t in (since_ns // 1_000_000_000 - 1, until_ns // 1_000_000_000 + 2))
    if engine == "docker":
        out = subprocess.run(["docker", "events", "--since", since, "--until", until, "--format", "{{json .}}"],
                             capture_output=True, text=True, check=True).stdout
        events = []
        for line in out.splitlines():
            e = json.loads(line)
            events.append((e["timeNano"], e["Type"], e["Action"], (e.get("Actor") or {}).get("Attributes", {}).get("name", "")))
        return events
    out = subprocess.run(["podman", "events", "--stream=false", "--since", since, "--until", until, "--format", "json"],
                         capture_output=True, text=True, check=True).stdout
    return [(parse_podman_time(e["Time"]), e["Type"], e["Status"], e.get("Name", ""))
            for e in map(json.loads, out.splitlines())]


def first(events, start, end, kind, action, name_part):
    for t, typ, act, name in events:
        if start <= t <= end and typ == kind and act == action and name_part in name:
            return t
    return None


DIED = {"podman": "died", "docker": "die"}


def sandboxed_phases(engine, events, start, end):
    """Breakdown of one sandboxed run, in ms; None for a phase whose marker the engine did not report."""
    m = {
        "net": first(events, start, end, "network", "create", "-conv-"),
        "pc": first(events, start, end, "container", "create", "-proxy-"),
        "ps": first(events, start, end, "container", "start", "-proxy-"),
        "cc": first(events, start, end, "container", "create", "-run-"),
        "cs": first(events, start, end, "container", "start", "-run-"),
        "cd": first(events, start, end, "container", DIED[engine], "-run-"),
    }

    def span(a, b):
        return None if a is None or b is None else ms(b - a)

    # The client is created while the proxy starts (runner since 8f1ea32), so its start, not its create, marks
    # the proxy's readiness.
    return {
        "CLI start, config, image checks, egress network -> network created": span(start, m["net"]),
        "network created -> proxy created (the other start-up checks, proxy config)": span(m["net"], m["pc"]),
        "CLI start -> proxy created (all of the above)": span(start, m["pc"]),
        "proxy create -> start": span(m["pc"], m["ps"]),
        "proxy start -> client start (proxy ready; client created meanwhile)": span(m["ps"], m["cs"]),
        "client start -> died (entrypoint + `true`)": span(m["cs"], m["cd"]),
        "teardown (client died -> CLI exit)": span(m["cd"], end),
    }


def bare_phases(engine, events, name, start, end):
    c = first(events, start, end, "container", "create", name)
    s = first(events, start, end, "container", "start", name)
    d = first(events, start, end, "container", DIED[engine], name)
    return {
        "bare: spawn -> created": ms(c - start) if c else None,
        "bare: create -> start": ms(s - c) if c and s else None,
        "bare: start -> died": ms(d - s) if s and d else None,
        "bare: died -> exit": ms(end - d) if d else None,
    }


PODMAN_WRAPPER = """#!/bin/sh
s=$(date +%s%N)
podman "$@"
rc=$?
printf '%s %s %s\\n' "$s" "$(date +%s%N)" "$*" >> {trace}
exit $rc
"""


def call_kind(args):
    words = [w for w in args.split() if not w.startswith("-")]
    if not words:
        return "podman (no subcommand)"
    if words[0] in ("network", "image", "container", "volume") and len(words) > 1:
        kind = f"{words[0]} {words[1]}"
    else:
        kind = words[0]
    if words[0] == "create":
        kind += " (proxy)" if "-proxy-" in args else " (client)" if "-run-" in args else ""
    if words[0] == "start":
        kind += " --attach (client, until it exits)" if "--attach" in args.split() else " (proxy)"
    return kind


def traced_calls(trace, start, end):
    """Total ms per podman call kind in one run, plus the time the CLI spent outside any podman call."""
    totals, busy, last_end = {}, 0, start
    with open(trace) as f:
        rows = [line.rstrip("\n").split(" ", 2) for line in f]
    rows = sorted((int(a), int(b), rest) for a, b, rest in rows if start <= int(a) <= end)
    for s, e, rest in rows:
        kind = call_kind(rest)
        count, total = totals.get(kind, (0, 0.0))
        totals[kind] = (count + 1, total + ms(e - s))
        busy += max(0, e - max(s, last_end))
        last_end = max(last_end, e)
    totals["(outside podman calls: .NET, iptables, waits)"] = (0, ms(end - start - busy))
    return totals


def traced_phases(trace, start, end):
    """The breakdown of one traced podman run, cut at the starts and ends of the runner's podman calls."""
    with open(trace) as f:
        rows = sorted((int(a), int(b), call_kind(rest)) for a, b, rest in (line.rstrip("\n").split(" ", 2) for line in f)
                      if start <= int(a) <= end)

    def at(kind, edge):
        return next((r[edge] for r in rows if r[2] == kind), None)

    marks = [start, rows[0][0] if rows else None, at("network create", 0), at("create (proxy)", 0),
             at("start (proxy)", 0), at("start --attach (client, until it exits)", 0),
             at("start --attach (client, until it exits)", 1), end]
    names = ["CLI start -> first podman call (.NET start, config, hashing)",
             "first podman call -> network create (image checks, egress network; the sweep runs alongside)",
             "network create -> proxy create (network, host isolation, the other checks, proxy config)",
             "proxy create call -> proxy start call",
             "proxy start call -> client start (proxy start, ready wait; client created meanwhile)",
             "client start -> client exited (entrypoint + `true`)",
             "teardown (client exited -> CLI exit)"]
    return {n: None if a is None or b is None else ms(b - a) for n, a, b in zip(names, marks, marks[1:])}


def print_table(title, header, rows):
    print(f"\n{title}\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---:" if i else "---" for i in range(len(header))) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


def fmt(value):
    return "n/a" if value is None else f"{value:.0f}"


def bench_engine(engine, cli, runs, workspace):
    env = dict(os.environ, AIRUT_PROXY_BASE_IMAGE=PROXY_BASE)
    sandboxed = [cli, "run", "--container-command", engine, "--", "true"]
    trace_dir = tempfile.mkdtemp(prefix="airut-bench-trace.")
    trace = os.path.join(trace_dir, "calls")
    wrapper = os.path.join(trace_dir, "podman")
    with open(wrapper, "w") as f:
        f.write(PODMAN_WRAPPER.format(trace=trace))
    os.chmod(wrapper, 0o755)
    open(trace, "w").close()
    try:
        print(f"{engine}: warming images", file=sys.stderr)
        run_timed([engine, "run", "--rm", IMAGE, "true"])
        run_timed(sandboxed, cwd=workspace, env=env)
        bare, box, traced, retried = [], [], [], []
        for i in range(runs):
            name = f"airut-bench-bare-{os.getpid()}-{i}"
            bare.append((name, *run_timed([engine, "run", "--rm", "--name", name, IMAGE, "true"])))
            box.append(run_sandboxed(sandboxed, workspace, env, retried))
            if engine == "podman":
                traced.append(run_sandboxed([cli, "run", "--container-command", wrapper, "--", "true"], workspace, env, retried))
            print(f"{engine}: {i + 1}/{runs}", file=sys.stderr)
        events = engine_events(engine, bare[0][1], time.time_ns())
        print(f"{engine}: {len(events)} events", file=sys.stderr)

        bare_ms = [ms(e - s) for _, s, e in bare]
        box_ms = [ms(e - s) for s, e in box]
        ratios = [b / a for a, b in zip(bare_ms, box_ms)]
        print(f"\n### {engine}: {runs} alternating runs")
        if retried:
            print(f"\n{len(retried)} sandboxed run(s) failed because the proxy was not ready in time and were repeated")
        print_table("Wall time (ms)", ["", "median", "p90"], [
            [f"(a) bare `{engine} run --rm {IMAGE} true`", fmt(statistics.median(bare_ms)), fmt(p90(bare_ms))],
            [f"(b) `airut-sandbox run --container-command {engine} -- true`", fmt(statistics.median(box_ms)), fmt(p90(box_ms))],
            ["ratio (b)/(a) of the medians", f"{statistics.median(box_ms) / statistics.median(bare_ms):.2f}x", ""],
            ["ratio (b)/(a) per pair, median / p90", f"{statistics.median(ratios):.2f}x", f"{p90(ratios):.2f}x"],
        ])

        phases = [sandboxed_phases(engine, events, s, e) for s, e in box]
        phases_bare = [bare_phases(engine, events, name, s, e) for name, s, e in bare]
        rows = []
        for table in (phases, phases_bare):
            for key in table[0]:
                values = [p[key] for p in table if p[key] is not None]
                if values:  # podman 4.3 reports no network events
                    rows.append([key, fmt(statistics.median(values)), fmt(p90(values))])
        print_table(f"Breakdown of (b), and of (a), from {engine} events (ms)", ["phase", "median", "p90"], rows)

        if traced:
            per_run = [traced_calls(trace, s, e) for s, e in traced]
            kinds = sorted({k for r in per_run for k in r}, key=lambda k: -statistics.median([r.get(k, (0, 0.0))[1] for r in per_run]))
            traced_ms = [ms(e - s) for s, e in traced]
            rows = [[k, str(max(r.get(k, (0, 0))[0] for r in per_run)),
                     fmt(statistics.median([r.get(k, (0, 0.0))[1] for r in per_run]))] for k in kinds]
            rows.append(["whole traced run (wrapper adds a shell per call)", "", fmt(statistics.median(traced_ms))])
            print_table("Podman calls the runner made, timed by a wrapper (median ms per run)",
                        ["call", "calls (max per run)", "ms"], rows)
            phases = [traced_phases(trace, s, e) for s, e in traced]
            rows = []
            for key in phases[0]:
                values = [p[key] for p in phases if p[key] is not None]
                rows.append([key, fmt(statistics.median(values)) if values else "n/a", fmt(p90(values)) if values else "n/a"])
            print_table("Breakdown of the traced podman runs, cut at the runner's podman calls (ms)", ["phase", "median", "p90"], rows)
    finally:
        shutil.rmtree(trace_dir, ignore_errors=True)


EGRESS_NETWORK = "airut-cli-egress"

# The runner's passthrough entrypoint until commit 5c3cf1d, not verbose: it ran update-ca-certificates per run.
OLD_ENTRYPOINT_SCRIPT = """#!/bin/sh
set -eu
export IS_SANDBOX=1
if [ -f /usr/local/share/ca-certificates/mitmproxy-ca.crt ] && command -v update-ca-certificates >/dev/null 2>&1; then
  update-ca-certificates >/dev/null 2>&1 || true
fi
exec "$@"
"""

# The runner's passthrough entrypoint now (src/Airut.Sandbox.Core/Images/PassthroughEntrypoint.cs): the CA is mounted
# over the system bundles (PassthroughEntrypoint.SystemTrustBundlePaths), so there is nothing to do in the container.
ENTRYPOINT_SCRIPT = """#!/bin/sh
set -eu
export IS_SANDBOX=1
exec "$@"
"""
BUNDLE_PATHS = ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt"]


def bench_entrypoints(engine, runs):
    """Bare runs of the client image: plain; the old entrypoint (update-ca-certificates) mounted, with and without
    a CA, and baked into an overlay image as its ENTRYPOINT; the new entrypoint mounted with the CA mounted over
    the system bundles (what the runner does now), and the same baked into an overlay image."""
    work = tempfile.mkdtemp(prefix="airut-bench-ep.")
    overlay = f"localhost/airut-bench/entrypoint-{os.getpid()}:latest"
    new_overlay = f"localhost/airut-bench/entrypoint-new-{os.getpid()}:latest"
    try:
        script, ca = os.path.join(work, "entrypoint.sh"), os.path.join(work, "ca.crt")
        new_script = os.path.join(work, "new", "entrypoint.sh")
        os.makedirs(os.path.dirname(new_script))
        with open(script, "w") as f:
            f.write(OLD_ENTRYPOINT_SCRIPT)
        with open(new_script, "w") as f:
            f.write(ENTRYPOINT_SCRIPT)
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                        "-days", "1", "-subj", "/CN=airut-bench-ca", "-keyout", os.path.join(work, "ca.key"), "-out", ca],
                       check=True, capture_output=True)
        os.chmod(script, 0o644)
        os.chmod(new_script, 0o644)
        os.chmod(ca, 0o644)
        for context in (work, os.path.dirname(new_script)):
            with open(os.path.join(context, "Dockerfile"), "w") as f:
                f.write(f"FROM {IMAGE}\nCOPY entrypoint.sh /usr/local/lib/airut/entrypoint.sh\n"
                        "ENTRYPOINT [\"/bin/sh\", \"/usr/local/lib/airut/entrypoint.sh\"]\n")
        subprocess.run([engine, "build", "-q", "-t", overlay, work], check=True, capture_output=True)
        subprocess.run([engine, "build", "-q", "-t", new_overlay, os.path.dirname(new_script)], check=True, capture_output=True)
        mount_script = ["-v", f"{script}:/usr/local/lib/airut/entrypoint.sh:ro", "--entrypoint", "/bin/sh"]
        mount_new_script = ["-v", f"{new_script}:/usr/local/lib/airut/entrypoint.sh:ro", "--entrypoint", "/bin/sh"]
        mount_ca = ["-v", f"{ca}:/usr/local/share/ca-certificates/mitmproxy-ca.crt:ro"]
        mount_bundles = [arg for path in BUNDLE_PATHS for arg in ("-v", f"{ca}:{path}:ro")]
        ep = ["/usr/local/lib/airut/entrypoint.sh", "true"]
        variants = {
            "bare `true`": [IMAGE, "true"],
            "old: mounted entrypoint, no CA (no update-ca-certificates)": [*mount_script, IMAGE, *ep],
            "old: mounted entrypoint + CA (update-ca-certificates)": [*mount_script, *mount_ca, IMAGE, *ep],
            "old: overlay image ENTRYPOINT + CA (update-ca-certificates)": [*mount_ca, overlay, "true"],
            "new: mounted entrypoint + CA over the bundles (what the runner does)": [*mount_new_script, *mount_ca, *mount_bundles, IMAGE, *ep],
            "new: overlay image ENTRYPOINT + CA over the bundles": [*mount_ca, *mount_bundles, new_overlay, "true"],
        }
        times = {k: [] for k in variants}
        for _ in range(runs):
            for name, argv in variants.items():
                s, e = run_timed([engine, "run", "--rm", *argv])
                times[name].append(ms(e - s))
        base = statistics.median(times["bare `true`"])
        print_table(f"Client entrypoint variants on {engine}, bare `{engine} run --rm` ({runs} alternating runs, ms)",
                    ["variant", "median", "p90", "ratio to bare"],
                    [[k, fmt(statistics.median(v)), fmt(p90(v)), f"{statistics.median(v) / base:.2f}x"] for k, v in times.items()])
    finally:
        subprocess.run([engine, "rmi", "-f", overlay, new_overlay], capture_output=True)
        shutil.rmtree(work, ignore_errors=True)


def main():
    repo = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--engines", nargs="+", default=["podman", "docker"])
    parser.add_argument("--entrypoint-variants", action="store_true", help="also time the client entrypoint variants")
    parser.add_argument("--cli", default=os.path.join(repo, "samples/Airut.Sandbox.Cli/bin/Release/net10.0/airut-sandbox"))
    args = parser.parse_args()
    if not os.access(args.cli, os.X_OK):
        sys.exit(f"{args.cli} missing: dotnet build samples/Airut.Sandbox.Cli -c Release")
    workspace = tempfile.mkdtemp(prefix="airut-bench-ws.")
    # The CLI's shared egress network outlives runs by design; the benchmark removes it again if it created it.
    egress_existed = {e: subprocess.run([e, "network", "inspect", EGRESS_NETWORK], capture_output=True).returncode == 0 for e in args.engines}
    try:
        os.makedirs(os.path.join(workspace, ".airut", "container"))
        with open(os.path.join(workspace, ".airut", "container", "Dockerfile"), "w") as f:
            f.write(f"FROM {IMAGE}\n")
        with open("/proc/loadavg") as f:
            print(f"load average at start: {' '.join(f.read().split()[:3])}; {os.cpu_count()} cores")
        for engine in args.engines:
            bench_engine(engine, args.cli, args.runs, workspace)
        if args.entrypoint_variants:
            for engine in args.engines:
                bench_entrypoints(engine, args.runs)
    finally:
        shutil.rmtree(workspace, ignore_errors=True)
        for engine, existed in egress_existed.items():
            if not existed:
                subprocess.run([engine, "network", "rm", EGRESS_NETWORK], capture_output=True)


if __name__ == "__main__":
    main()
