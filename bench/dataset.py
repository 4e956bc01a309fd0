"""A benchmark database: the seeds plus many generated claims, bulk-inserted in one transaction.

python -m bench.dataset --claims 10000 --database-url sqlite:///var/bench.sqlite3
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

from sqlalchemy import insert, select

from bench._claims import make_claims
from forecasts.storage import migrate
from forecasts.storage.db import PROJECT_ROOT, make_engine, make_sessionmaker, transaction
from forecasts.storage.exchange import load_bundle, read_seed_dir
from forecasts.storage.orm import Claim, ForecastPoint, Milestone, Speaker

MILESTONES = ("agi", "hlmi", "tai", "superintelligence", "faol", "asl-4")


def populate(url: str, n: int, *, seed: int = 0, speakers: int = 2000) -> float:
    """Migrate ``url``, load the seeds and add ``n`` generated claims; return the seconds it took."""
    start = time.perf_counter()
    migrate.upgrade(url)
    engine = make_engine(url)
    try:
        with transaction(make_sessionmaker(engine)) as session:
            load_bundle(session, read_seed_dir(PROJECT_ROOT / "seeds"), by="seed")
            session.execute(
                insert(Speaker),
                [
                    {"slug": f"bench-speaker-{i}", "name": f"Benchmark speaker {i}", "kind": "person"}
                    for i in range(speakers)
                ],
            )
            speaker_ids = dict(session.execute(select(Speaker.slug, Speaker.id)).tuples().all())
            milestone_ids = dict(session.execute(select(Milestone.slug, Milestone.id)).tuples().all())
            first = (session.scalar(select(Claim.id).order_by(Claim.id.desc()).limit(1)) or 0) + 1
            claims = make_claims(n, seed=seed, speakers=speakers)
            rows, points = [], []
            for i, c in enumerate(claims):
                f = c.forecast
                rows.append(
                    {
                        "id": first + i,
                        "key": f"bench-{seed}-{i}",
                        "speaker_id": speaker_ids[f"bench-speaker-{int(c.speaker[1:]) % speakers}"],
                        "milestone_id": milestone_ids[MILESTONES[i % len(MILESTONES)]],
                        "said_on": c.said_on,
                        "said_precision": "day",
                        "quote": f"Generated claim {i}.",
                        "verbatim": True,
                        "forecast_kind": f.kind.value,
                        "year_low": f.year_low,
                        "year_high": f.year_high,
                        "probability": f.probability,
                        "verification": "unverified",
                        "version": 1,
                        "created_at": dt.datetime.now(dt.UTC),
                        "updated_at": dt.datetime.now(dt.UTC),
                    }
                )
                for seq, p in enumerate(f.points):
                    prev = f.points[seq - 1] if seq else None
                    points.append(
                        {
                            "claim_id": first + i,
                            "seq": seq,
                            "year": p.year,
                            "probability": p.probability,
                            "prev_seq": seq - 1 if prev else None,
                            "prev_year": prev.year if prev else None,
                            "prev_probability": prev.probability if prev else None,
                        }
                    )
            session.execute(insert(Claim), rows)
            if points:
                session.execute(insert(ForecastPoint), points)
        if engine.dialect.name == "postgresql":
            with engine.connect() as conn:
                conn.exec_driver_sql("SELECT setval('claims_id_seq', (SELECT max(id) FROM claims))")
                conn.exec_driver_sql("ANALYZE")
                conn.commit()
    finally:
        engine.dispose()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--database-url", required=True)
    args = parser.parse_args()
    print(f"populated in {populate(args.database_url, args.claims):.1f} s")


if __name__ == "__main__":
    main()
