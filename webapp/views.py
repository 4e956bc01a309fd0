"""Pages for reading the claims."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from forecasts.orm import Claim
from forecasts.repo import claim_forecast
from webapp.db import get_session

bp = Blueprint("pages", __name__)
PAGE_SIZE = 100


@bp.get("/")
@bp.get("/claims")
def claims() -> str:
    """List the claims, newest first."""
    page = max(1, request.args.get("page", 1, type=int) or 1)
    session = get_session()
    live = Claim.deleted_at.is_(None)
    total = session.scalar(select(func.count()).select_from(Claim).where(live)) or 0
    rows = session.scalars(
        select(Claim)
        .where(live)
        .options(selectinload(Claim.speaker), selectinload(Claim.milestone), selectinload(Claim.source),
                 selectinload(Claim.points))
        .order_by(Claim.said_on.desc(), Claim.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    items = [(c, claim_forecast(c)) for c in rows]
    pages = max(1, -(-total // PAGE_SIZE))
    return render_template("claims.html", items=items, total=total, page=page, pages=pages)
