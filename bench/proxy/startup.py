#!/usr/bin/env python3
"""Start-up harness for airut-proxy (see bench/README.md, "airut-proxy start-up").

Alternates N starts of (a) a trivial .NET console program published exactly like airut-proxy (self-contained,
trimmed, linux-x64: bench/proxy/ReadyBaseline) and (b) airut-proxy with a production-shaped configuration (HTTP,
HTTPS and DNS listeners on 127.0.0.1 port 0, per-run P-256 CA made with openssl, an allowlist, a masked secret,
the network log file on). For each start it records:

  ready     spawn -> the program's ready line on stdout (what the runner waits for)
  first     ready -> first answer through the proxy: a TLS handshake with SNI (a leaf is minted) and a request the
            allowlist blocks (403, no upstream needed, one network log line)
  rss       VmRSS one second after the ready line, before any request

Only 127.0.0.1 is used; every process and the temporary directory are removed at exit.

Usage (from the repository root):
  bench/proxy/startup.py --runs 10                     # publishes both programs (Release) first
  bench/proxy/startup.py --proxy DIR/airut-proxy --baseline DIR/ready-baseline --runs 10
  bench/proxy/startup.py --proxy before=OLD/airut-proxy --proxy after=NEW/airut-proxy --baseline B/ready-baseline
                                                       # several builds, alternated in one run
"""
import argparse
import json
import os
import select
import signal
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))


def publish(project, out):
    print(f"publishing {project} (Release, linux-x64, self-contained) ...", file=sys.stderr)
    subprocess.run(["dotnet", "publish", project, "-c", "Release", "-r", "linux-x64", "--self-contained", "true", "-o", out],
                   check=True, stdout=subprocess.DEVNULL)


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def start(argv, marker, timeout=60):
    """Spawns argv, returns (process, ms to the line starting with marker, that line)."""
    t0 = time.monotonic()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    buf = b""
    deadline = t0 + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            proc.kill()
            raise RuntimeError(f"{argv[0]}: no ready line within {timeout} s")
        ready, _, _ = select.select([proc.stdout], [], [], remaining)
        if not ready:
            continue
        chunk = os.read(proc.stdout.fileno(), 65536)
        if not chunk:
            err = proc.stderr.read().decode(errors="replace")
            raise RuntimeError(f"{argv[0]} exited ({proc.wait()}) before its ready line: {err[-2000:]}")
        buf += chunk
        for line in buf.split(b"\n")[:-1]:
            if line.startswith(marker):
                return proc, (time.monotonic() - t0) * 1000, line.decode()


def stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def first_blocked_request(port, ca):
    """TLS with SNI blocked.test, one GET the allowlist refuses; returns (ms, status line)."""
    t0 = time.monotonic()
    context = ssl.create_default_context(cafile=ca)
    with socket.create_connection(("127.0.0.1", port), timeout=30) as raw:
        with context.wrap_socket(raw, server_hostname="blocked.test") as tls:
            tls.sendall(b"GET /first HTTP/1.1\r\nHost: blocked.test\r\nConnection: close\r\n\r\n")
            data = b""
            while b"\r\n" not in data:
                chunk = tls.recv(4096)
                if not chunk:
                    break
                data += chunk
    return (time.monotonic() - t0) * 1000, data.split(b"\r\n", 1)[0].decode(errors="replace")


def summary(values):
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))]
    return statistics.median(ordered), p90, ordered[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--proxy", action="append", default=[],
                        help="a published airut-proxy executable, optionally LABEL=PATH; repeatable (default: publish this checkout)")
    parser.add_argument("--baseline", help="a published ready-baseline executable (default: publish it)")
    parser.add_argument("--label", default="", help="a word printed in the header (e.g. the build's settings)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="airut-proxy-startup.") as work:
        proxies = {}
        for entry in args.proxy:
            label, _, path = entry.rpartition("=")
            proxies[label or "airut-proxy"] = path
        if not proxies:
            publish(os.path.join(REPO, "src/Airut.Sandbox.Proxy.Program"), os.path.join(work, "proxy"))
            proxies["airut-proxy"] = os.path.join(work, "proxy", "airut-proxy")
        baseline = args.baseline
        if not baseline:
            publish(os.path.join(HERE, "ReadyBaseline"), os.path.join(work, "baseline"))
            baseline = os.path.join(work, "baseline", "ready-baseline")

        ca, key = os.path.join(work, "ca.pem"), os.path.join(work, "ca.key")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                        "-days", "2", "-keyout", key, "-out", ca, "-subj", "/CN=airut bench CA",
                        "-addext", "basicConstraints=critical,CA:true", "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        config_path = os.path.join(work, "proxy.json")
        domains = [f"api{i}.example.test" for i in range(20)] + ["*.github.test", "*.npm.test"]
        config = {
            "listen": {"http": ["127.0.0.1:0"], "https": ["127.0.0.1:0"], "dns": ["127.0.0.1:0"], "dns_answer": "127.0.0.1"},
            "allowlist": {
                "domains": domains,
                "url_prefixes": [{"host": "api.github.test", "path": "/repos/airut*", "methods": ["GET", "HEAD"]}],
            },
            "masked_secrets": [{"name": "GH_TOKEN", "surrogate": "surrogate-0123456789", "value": "bench-not-a-secret-value",
                                "scopes": ["api.github.test"], "headers": ["Authorization"]}],
            "ca_certificate_path": ca,
            "ca_key_path": key,
            "network_log_path": os.path.join(work, "network.log"),
            "upstream_hosts_only": True,
        }
        with open(config_path, "w") as f:
            json.dump(config, f)

        load = os.getloadavg()
        print(f"airut-proxy start-up, {time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}, {os.cpu_count()} cores, "
              f"{args.runs} alternating runs {args.label}".rstrip())
        print(f"load average at start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
        rows = {"baseline": {"ready": [], "rss": []}}
        rows.update({label: {"ready": [], "first": [], "rss": []} for label in proxies})
        for _ in range(args.runs):
            proc, ms, _ = start([baseline], b"ready-baseline ready")
            try:
                time.sleep(1)
                rows["baseline"]["rss"].append(rss_kib(proc.pid) / 1024)
            finally:
                stop(proc)
            rows["baseline"]["ready"].append(ms)

            for label, proxy in proxies.items():
                proc, ms, line = start([proxy, "--config", config_path], b"airut-proxy ready")
                try:
                    https_port = int(next(w for w in line.split() if w.startswith("https=")).rsplit(":", 1)[1])
                    time.sleep(1)
                    rows[label]["rss"].append(rss_kib(proc.pid) / 1024)
                    first_ms, status = first_blocked_request(https_port, ca)
                    if " 403 " not in status + " ":
                        raise RuntimeError(f"expected a 403 from {label}, got '{status}'")
                finally:
                    stop(proc)
                rows[label]["ready"].append(ms)
                rows[label]["first"].append(first_ms)
        load_end = os.getloadavg()

        print()
        print("| | median | p90 | min |")
        print("|---|---:|---:|---:|")
        base = rows["baseline"]

        def row(label, values, unit="", digits=0):
            med, p90, low = summary(values)
            print(f"| {label} | {med:.{digits}f}{unit} | {p90:.{digits}f}{unit} | {low:.{digits}f}{unit} |")

        row("(a) ready-baseline: spawn -> ready line, ms", base["ready"])
        for label in proxies:
            r = rows[label]
            row(f"{label}: spawn -> ready line, ms", r["ready"])
            row(f"{label}: ratio to (a) per pair", [b / a for a, b in zip(base["ready"], r["ready"])], "x", 2)
            row(f"{label}: minus (a) per pair, ms", [b - a for a, b in zip(base["ready"], r["ready"])])
            row(f"{label}: ready -> first blocked answer over TLS (mint + pipeline), ms", r["first"])
        row("(a) ready-baseline: RSS idle, MiB", base["rss"], digits=1)
        for label in proxies:
            row(f"{label}: RSS idle (after ready, before any request), MiB", rows[label]["rss"], digits=1)
        print()
        print(f"load average at end: {load_end[0]:.2f} {load_end[1]:.2f} {load_end[2]:.2f}")


if __name__ == "__main__":
    main()
