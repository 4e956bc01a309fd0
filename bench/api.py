"""API throughput: the distribution endpoint against a trivial JSON endpoint of the same server.

Serves the app with gunicorn (2 workers) on the seeded database plus 10,000 generated claims and
loads it from a second process on loopback, one endpoint after the other, with a bounded number
of requests from a few client threads. Prints requests per second, p50/p99 latency, errors, and
the ratio (target: the distribution endpoint reaches at least half the trivial endpoint's rate).

    python -m bench.api [--claims 10000] [--requests 2000] [--database-url URL]
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.dataset import populate

TRIVIAL = "/api/v1/"
DISTRIBUTION = "/api/v1/milestones/agi/distribution"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(port: int, path: str) -> tuple[int, float]:
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status, time.perf_counter() - start
    finally:
        conn.close()


def load(port: int, path: str, *, requests: int, threads: int) -> dict[str, float]:
    """Send ``requests`` GETs from ``threads`` threads; return rate, latency percentiles and errors."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    per_thread = requests // threads

    def worker() -> None:
        nonlocal errors
        for _ in range(per_thread):
            status, seconds = _get(port, path)
            with lock:
                latencies.append(seconds)
                errors += status != 200

    for _ in range(20):  # warm the workers and their caches
        _get(port, path)
    started = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))],
        "errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--database-url", help="default: a SQLite file in a temporary folder")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        print(f"database: seeds + {args.claims} generated claims ({populate(url, args.claims):.1f} s to build)")
        port = _free_port()
        env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench"}
        server = subprocess.Popen(
            [sys.executable, "-m", "forecasts.cli", "serve", "--port", str(port), "--workers", "2"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(100):
                try:
                    if _get(port, TRIVIAL)[0] == 200:
                        break
                except OSError:
                    time.sleep(0.1)
            else:
                raise SystemExit("the server did not start")
            results = {}
            for name, path in (("trivial", TRIVIAL), ("distribution", DISTRIBUTION)):
                results[name] = r = load(port, path, requests=args.requests, threads=args.threads)
                print(
                    f"{name:13s} {path:40s} {r['rps']:8.0f} req/s  p50 {r['p50_ms']:6.1f} ms"
                    f"  p99 {r['p99_ms']:6.1f} ms  errors {r['errors']:.0f}"
                )
        finally:
            server.terminate()
            server.wait(timeout=10)
    ratio = results["distribution"]["rps"] / results["trivial"]["rps"]
    print(f"ratio distribution/trivial: {ratio:.2f} (target >= 0.5)")


if __name__ == "__main__":
    main()
