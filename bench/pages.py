"""Benchmark: the claims list and the milestone page with 100,000 claims, against a trivial page.

    .venv/bin/python -m bench.pages                          # SQLite in a temporary folder
    .venv/bin/python -m bench.pages --database-url postgresql://user@host/empty_db

Builds the database (the seeds plus generated claims by ~2,000 speakers, bulk-inserted by
``bench.dataset``), serves the app in this process on a loopback port, and times each request inside
the server (a WSGI wrapper around the app, body included), so the figures are server-side. The
first request of each page warms the engine's caches and is not counted.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from werkzeug.serving import make_server

from bench.dataset import populate
from forecasts.storage.db import make_engine
from forecasts.storage.orm import Claim, Speaker
from webapp import create_app

TARGET_MS = 100.0


class Timed:
    """A WSGI wrapper that records how long the app took for each path, the body included."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app
        self.times: dict[str, list[float]] = {}

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        start = time.perf_counter()
        body = b"".join(self.app(environ, start_response))
        path = environ["PATH_INFO"] + ("?" + environ["QUERY_STRING"] if environ.get("QUERY_STRING") else "")
        self.times.setdefault(path, []).append(time.perf_counter() - start)
        return [body]


def busiest_speaker(url: str) -> tuple[str, int]:
    engine = make_engine(url)
    with engine.connect() as conn:
        row = conn.execute(
            select(Speaker.slug, func.count(Claim.id))
            .join(Claim, Claim.speaker_id == Speaker.id)
            .group_by(Speaker.slug)
            .order_by(func.count(Claim.id).desc())
            .limit(1)
        ).one()
        total = conn.scalar(select(func.count(Claim.id))) or 0
    engine.dispose()
    print(f"database: {total} claims; busiest speaker {row[0]} with {row[1]} claims")
    return str(row[0]), int(row[1])


def measure(base: str, timed: Timed, path: str, *, repeat: int) -> float:
    """The median server-side milliseconds of ``repeat`` requests of ``path`` after one warm-up."""
    for i in range(repeat + 1):
        with urllib.request.urlopen(base + path, timeout=600) as response:
            response.read()
            assert response.status == 200, (path, response.status)
        if i == 0:
            timed.times.pop(path, None)
    return 1000 * statistics.median(timed.times[path])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="an empty database to fill (default: a temporary SQLite file)")
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--speakers", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'pages.sqlite3'}"
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        seconds = populate(url, args.claims, speakers=args.speakers)
        print(f"built the database with {args.claims} generated claims in {seconds:.1f} s")
        speaker, _ = busiest_speaker(url)
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})
        timed = Timed(app.wsgi_app)
        app.wsgi_app = timed  # type: ignore[method-assign]
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        base = f"http://127.0.0.1:{server.port}"
        try:
            cases = [
                ("claims list, filtered by speaker, first page", f"/claims?speaker={speaker}", True),
                ("milestone page (agi)", "/milestones/agi", True),
                ("claims list, unfiltered, first page", "/claims", False),
                ("trivial page (a static file)", "/static/favicon.svg", False),
            ]
            print(f"\nserver-side median of {args.repeat} requests each (target: under {TARGET_MS:.0f} ms):")
            failed = []
            for label, path, targeted in cases:
                ms = measure(base, timed, path, repeat=args.repeat)
                verdict = ("ok" if ms < TARGET_MS else "OVER TARGET") if targeted else "reference"
                print(f"  {label:48s} {ms:8.1f} ms   {verdict}")
                if targeted and ms >= TARGET_MS:
                    failed.append(label)
        finally:
            server.shutdown()
            thread.join(timeout=10)
        if failed:
            raise SystemExit(f"over target: {', '.join(failed)}")


if __name__ == "__main__":
    main()
