"""Transcript import in the admin: candidates to review, nothing saved until accepted, errors naming the line."""

from __future__ import annotations

import io
import re
from pathlib import Path

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from forecasts.storage.orm import Claim, Source
from tests.web.admin_fixtures import *  # noqa: F403 (the fixtures)
from tests.web.admin_fixtures import count

EXCERPT = (Path(__file__).parent.parent / "data" / "transcript_excerpt.txt").read_text(encoding="utf-8")
DETAILS = {
    "said_on": "2024-04-18",
    "narrator": "ai-explained",
    "source_title": "Llama 3, VASA-1 and Her",
    "source_kind": "video",
    "source_url": "https://www.youtube.com/watch?v=example",
    "published_on": "2024-04-18",
    "threshold": "0",
}  # every candidate, also the low-scored
KEY = "llama-3-vasa-1-and-her-2024-04-18"


def _review(editor: FlaskClient, **data: object) -> str:
    response = editor.post("/admin/import", data={**DETAILS, "transcript": EXCERPT, **data})
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


def _fields(page: str) -> dict[str, str]:
    """The review form's inputs as a browser would submit them (before any change)."""
    form = page[page.index('action="/admin/import/save"') :]
    out: dict[str, str] = {}
    for m in re.finditer(r"<input([^>]*)>", form):
        attrs = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', m.group(1)))
        if "name" not in attrs or (attrs.get("type") == "radio" and "checked" not in m.group(1)):
            continue
        out[attrs["name"]] = attrs.get("value", "")
    for m in re.finditer(r'<textarea[^>]*name="([^"]+)"[^>]*>\n?(.*?)</textarea>', form, re.S):
        out[m.group(1)] = m.group(2).replace("&#39;", "'").replace("&#34;", '"').replace("&amp;", "&")
    for m in re.finditer(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option selected value="([^"]*)"', m.group(2))
        out[m.group(1)] = chosen.group(1) if chosen else ""
    return out


def _index(fields: dict[str, str], words: str) -> str:
    for name, value in fields.items():
        if name.endswith("-quote") and words in value:
            return name.removesuffix("-quote")
    raise AssertionError(words)


def test_pasting_shows_the_candidates_and_saves_nothing(editor: FlaskClient, seeded_session: Session) -> None:
    claims, sources = count(seeded_session, Claim), count(seeded_session, Source)
    page = _review(editor)
    assert page.count('class="candidate"') == 8
    assert "At 00:16:14" in page and "At 00:16:25" in page
    assert "ASL 4 could happen anywhere from 2025 to 2028." in page
    fields = _fields(page)
    asl4 = _index(fields, "ASL 4 could happen")
    assert (fields[f"{asl4}-speaker"], fields[f"{asl4}-milestone"], fields[f"{asl4}-kind"]) == (
        "dario-amodei",
        "asl-4",
        "window",
    )
    assert fields[f"{asl4}-decision"] == "reject"  # nothing is accepted until the editor says so
    assert (count(seeded_session, Claim), count(seeded_session, Source)) == (claims, sources)


def test_accepted_candidates_are_saved_unverified_with_their_locator(
    editor: FlaskClient, seeded_session: Session
) -> None:
    fields = _fields(_review(editor))
    asl3, asl4, her = (_index(fields, w) for w in ("ASL 3 is", "ASL 4 could", "approximating Her"))
    fields[f"{asl3}-decision"] = fields[f"{asl4}-decision"] = "accept"
    fields[f"{asl4}-year_high"] = "2027"  # edited before accepting
    before = count(seeded_session, Claim)
    fields[f"{her}-decision"] = "accept"  # no milestone: refused, and then nothing at all is saved
    refused = editor.post("/admin/import/save", data=fields)
    assert refused.status_code == 422
    assert "choose a milestone" in refused.get_data(as_text=True) or "no milestone" in refused.get_data(as_text=True)
    assert count(seeded_session, Claim) == before
    fields[f"{her}-decision"] = "reject"
    saved = editor.post("/admin/import/save", data=fields)
    assert saved.status_code == 302
    assert count(seeded_session, Claim) == before + 2
    source = seeded_session.scalar(select(Source).where(Source.key == KEY))
    assert source is not None and source.title == "Llama 3, VASA-1 and Her"
    claims = seeded_session.scalars(select(Claim).where(Claim.source_id == source.id).order_by(Claim.locator)).all()
    assert [(c.locator, c.milestone.slug, c.verification, c.year_high, c.said_on.isoformat()) for c in claims] == [
        ("00:16:14", "asl-3", "unverified", 2025, "2024-04-15"),
        ("00:16:25", "asl-4", "unverified", 2027, "2024-04-15"),
    ]
    assert all(c.entered_by == "editor@example.org" for c in claims)


def test_nothing_accepted_saves_nothing(editor: FlaskClient, seeded_session: Session) -> None:
    before = count(seeded_session, Claim), count(seeded_session, Source)
    response = editor.post("/admin/import/save", data=_fields(_review(editor)))
    assert response.status_code == 200 and b"nothing was saved" in response.data
    assert (count(seeded_session, Claim), count(seeded_session, Source)) == before


def test_an_uploaded_srt_file(editor: FlaskClient) -> None:
    srt = "1\n00:00:01,000 --> 00:00:05,000\nI think AGI will arrive by 2030.\n\n"
    response = editor.post(
        "/admin/import",
        data={**DETAILS, "upload": (io.BytesIO(srt.encode()), "talk.srt")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "At 00:00:01" in response.get_data(as_text=True)


def test_a_malformed_file_names_the_line_and_saves_nothing(editor: FlaskClient, seeded_session: Session) -> None:
    before = count(seeded_session, Source)
    bad = "[00:00:01.000 --> 00:00:04.000]   Fine.\n[00:00:04.000 --> 00:0x:09.000]   AGI by 2030.\n"
    response = editor.post(
        "/admin/import",
        data={**DETAILS, "upload": (io.BytesIO(bad.encode()), "bad.txt")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    errors = re.search(r'<ul class="errors" id="upload-error">(.*?)</ul>', response.get_data(as_text=True), re.S)
    assert errors is not None and "bad.txt, line 2" in errors.group(1)
    assert count(seeded_session, Source) == before


def test_missing_details_are_named(editor: FlaskClient) -> None:
    response = editor.post(
        "/admin/import", data={"transcript": "", "said_on": "", "source_title": "", "source_kind": "video"}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    for field in ("transcript", "said_on", "source_title"):
        assert f'id="{field}-error"' in page, field
