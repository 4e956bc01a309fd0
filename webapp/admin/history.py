"""A claim's revisions (who changed what, when) with restore, and the trash."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from forecasts.errors import NotFoundError
from forecasts.services import service
from forecasts.storage import repo
from forecasts.storage.orm import Claim, ClaimRevision
from forecasts.storage.revisions import changes
from webapp.admin.base import bp, user_email
from webapp.admin.claims import get_live_claim
from webapp.db import get_session

TRASH_PAGE = 100


@bp.get("/claims/<int:claim_id>/history")
def claim_history(claim_id: int) -> str:
    """Show every revision of a claim: who, when, what changed."""
    claim = get_live_claim(claim_id, include_deleted=True)
    revisions = list(claim.revisions)
    rows = [(rev, changes(revisions[i - 1].snapshot if i else None, rev.snapshot)) for i, rev in enumerate(revisions)]
    return render_template("admin/history.html", claim=claim, rows=list(reversed(rows)))


@bp.post("/claims/<int:claim_id>/revisions/<int:revision>/restore")
def revert(claim_id: int, revision: int) -> Response:
    """Make an old revision's content current again (as a new revision)."""
    claim = get_live_claim(claim_id)
    session = get_session()
    try:
        repo.revert_claim(session, claim, revision, by=user_email())
    except NotFoundError:
        flash(f"Claim {claim_id} has no revision {revision}.")
        return redirect(url_for("admin.claim_history", claim_id=claim_id))  # type: ignore[return-value]
    session.commit()
    service.results.clear()
    flash(f"Revision {revision} restored as revision {claim.version}.")
    return redirect(url_for("admin.claim_history", claim_id=claim_id))  # type: ignore[return-value]


@bp.get("/trash")
def trash() -> str:
    """List the deleted claims, which can be restored."""
    page = min(max(1, request.args.get("page", 1, type=int) or 1), 1_000_000)
    deleted = select(Claim).where(Claim.deleted_at.is_not(None))
    total = get_session().scalar(select(func.count()).select_from(deleted.subquery())) or 0
    claims = (
        get_session()
        .scalars(
            deleted.options(selectinload(Claim.speaker), selectinload(Claim.milestone))
            .order_by(Claim.deleted_at.desc(), Claim.id.desc())
            .limit(TRASH_PAGE)
            .offset((page - 1) * TRASH_PAGE)
        )
        .all()
    )
    deleted_by = {
        r.claim_id: r.changed_by
        for r in get_session().scalars(
            select(ClaimRevision)
            .where(ClaimRevision.claim_id.in_([c.id for c in claims]), ClaimRevision.action == "delete")
            .order_by(ClaimRevision.revision)
        )
    }
    pages = max(1, -(-total // TRASH_PAGE))
    return render_template(
        "admin/trash.html", claims=claims, deleted_by=deleted_by, total=total, page=page, pages=pages
    )


@bp.post("/claims/<int:claim_id>/restore")
def restore(claim_id: int) -> Response:
    """Bring a claim back from the trash."""
    claim = get_live_claim(claim_id, include_deleted=True)
    session = get_session()
    if claim.deleted_at is None:
        flash(f"Claim {claim_id} is not in the trash.")
        return redirect(url_for("admin.trash"))  # type: ignore[return-value]
    repo.restore_claim(session, claim, by=user_email())
    session.commit()
    service.results.clear()
    flash(f"Claim {claim_id} restored.")
    return redirect(url_for("admin.claim_history", claim_id=claim_id))  # type: ignore[return-value]
