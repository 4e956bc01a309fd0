"""The claims page lists the seeded claims."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from forecasts.orm import Claim


def test_the_claims_page_lists_claims_with_quotes_and_sources(client: FlaskClient) -> None:
    html = client.get("/claims?page=2").get_data(as_text=True) + client.get("/").get_data(as_text=True)
    assert "Dario Amodei" in html


def test_user_text_is_escaped(client: FlaskClient, seeded_session: Session) -> None:
    claim = seeded_session.scalars(select(Claim).order_by(Claim.said_on.desc(), Claim.id.desc())).first()
    assert claim is not None
    claim.quote = "<script>alert(1)</script>"
    seeded_session.flush()
    html = client.get("/").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
