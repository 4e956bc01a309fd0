"""What saving a claim would do: the engine's reading of it and how its milestone's aggregate moves.

The aggregate is pooled as the milestone's page pools it by default (linear pool of each speaker's
latest claim), once with the live claims as they are and once with the new or edited claim in
place, so an editor sees the effect before anything is written.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from forecasts.engine.interpret import interpret
from forecasts.engine.model import ClaimForecast
from forecasts.engine.pool import pool
from forecasts.services.service import interpretation_dict
from forecasts.storage.repo import claim_forecasts

#: The claim id a claim that is not saved yet takes in the pool.
UNSAVED = -1


@dataclass(frozen=True, slots=True)
class Figures:
    """The headline figures of a milestone's aggregate."""

    n_claims: int
    median_year: float | None
    p_by: float | None  # P(arrival by the end of ``Preview.by_year``)


@dataclass(frozen=True, slots=True)
class Preview:
    milestone: str
    reading: dict[str, Any]  # as service.interpretation_dict: explanation, quantiles, CDF
    by_year: int
    before: Figures
    after: Figures


def _finite(x: float | None) -> float | None:
    return float(x) if x is not None and math.isfinite(x) else None


def figures(claims: Sequence[ClaimForecast], *, as_of: dt.date, by_year: int) -> Figures:
    """Pool ``claims`` and report how many entered, the median year and P(by ``by_year``)."""
    if not claims:
        return Figures(0, None, None)
    agg = pool(interpret(claims), as_of=as_of, method="linear", weighting="speaker_latest", by_years=(by_year,))
    if agg.n_claims == 0:
        return Figures(0, None, None)
    return Figures(int(agg.n_claims), _finite(agg.quantiles.get(0.5)), _finite(agg.p_by.get(by_year)))


def preview_claim(
    session: Session, claim: ClaimForecast, *, as_of: dt.date | None = None, by_year: int = 2030
) -> Preview:
    """Read ``claim`` and pool its milestone without and with it (replacing its saved version, if any)."""
    day = max(as_of or dt.date.today(), claim.said_on)
    live = claim_forecasts(session, [claim.milestone])
    others = [c for c in live if c.claim_id != claim.claim_id]
    return Preview(
        milestone=claim.milestone,
        reading=interpretation_dict(claim),
        by_year=by_year,
        before=figures(live, as_of=day, by_year=by_year),
        after=figures([*others, claim], as_of=day, by_year=by_year),
    )
