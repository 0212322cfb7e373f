#!/usr/bin/env python3
"""Requests per second of `medlint serve` for a 5 KB draft, with 1 and 2 worker processes.

    python benchmarks/serve_load.py                       # workers 1 and 2, both endpoints
    python benchmarks/serve_load.py --workers 1 2 4 --requests 400 --seconds 15

For each worker count a real `medlint serve` is started on a free 127.0.0.1 port (loopback
only), warmed up, and sent at most ``--requests`` requests per endpoint for at most
``--seconds`` seconds from ``--clients`` threads, each with its own keep-alive connection;
then it is stopped. The draft (about 5 KB of Markdown) is assembled from the project's
examples/ drafts at run time. Prints requests/second and p50/p95 latency; asserts nothing.
Timings on a shared machine are noisy: compare rows of one run, and quote `uptime`'s load.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def draft(size: int = 5_000) -> str:
    paras = []
    for path in sorted((REPO / "examples").glob("*.md")):
        text = path.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
        paras += [p.strip() for p in text.split("\n\n") if p.strip() and not p.startswith("---")]
    out, i = [], 0
    while sum(len(p) + 2 for p in out) < size:
        out.append(paras[i % len(paras)])
        i += 1
    return "\n\n".join(out)[:size]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(workers: int) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    cmd = [sys.executable, "-c", "from medlint.entry import main; main()", "serve", "--no-config",
           "--port", str(port), "--workers", str(workers), "--log-level", "warning"]
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                return proc, port
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"medlint serve --workers {workers} did not start")


def load(port: int, method: str, path: str, body: bytes, headers: dict[str, str], requests: int,
         seconds: float, clients: int) -> tuple[int, float, list[float]]:
    lock = threading.Lock()
    sent = [0]
    latencies: list[float] = []
    stop_at = time.monotonic() + seconds

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        while time.monotonic() < stop_at:
            with lock:
                if sent[0] >= requests:
                    break
                sent[0] += 1
            t = time.perf_counter()
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                raise SystemExit(f"{path}: HTTP {response.status}")
            mine.append(time.perf_counter() - t)
        conn.close()
        with lock:
            latencies.extend(mine)

    # warm-up: every worker builds its Linter at start; a few requests warm the caches
    warm = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for _ in range(10):
        warm.request(method, path, body=body, headers=headers)
        warm.getresponse().read()
    warm.close()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(latencies), time.perf_counter() - t0, latencies


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--requests", type=int, default=300, help="per endpoint and worker count (max 5000)")
    ap.add_argument("--seconds", type=float, default=10.0, help="per endpoint and worker count (max 60)")
    ap.add_argument("--clients", type=int, default=4, help="concurrent keep-alive connections (max 32)")
    args = ap.parse_args(argv)
    requests, seconds, clients = min(args.requests, 5000), min(args.seconds, 60.0), min(args.clients, 32)
    text = draft()
    v1 = json.dumps({"text": text, "format": "markdown"}).encode()
    v2 = urllib.parse.urlencode({"text": text, "language": "en-US", "format": "markdown"}).encode()
    print(f"draft: {len(text)} characters; {clients} clients; at most {requests} requests or "
          f"{seconds:.0f} s per row; load: {os.getloadavg()[0]:.2f} (1 min), {os.cpu_count()} CPUs")
    print(f"{'workers':>7}  {'endpoint':<10} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8}")
    for workers in args.workers:
        proc, port = start(workers)
        try:
            for name, path, body, kind in (("/v1/check", "/v1/check", v1, "application/json"),
                                           ("/v2/check", "/v2/check", v2, "application/x-www-form-urlencoded")):
                n, elapsed, lat = load(port, "POST", path, body, {"Content-Type": kind}, requests, seconds, clients)
                lat.sort()
                p95 = lat[min(len(lat) - 1, int(len(lat) * 0.95))]
                print(f"{workers:>7}  {name:<10} {n:>8} {n / elapsed:>8.1f} "
                      f"{statistics.median(lat) * 1000:>8.1f} {p95 * 1000:>8.1f}", flush=True)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
