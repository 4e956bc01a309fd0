"""The claim entry form: validation (nothing written on error), preview, save, edit conflicts,
revisions and restore, the trash, and escaping of user text."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from forecasts.storage.orm import Claim, ClaimRevision, Source, Speaker
from tests.web.admin_fixtures import *  # noqa: F403 (the fixtures)
from tests.web.admin_fixtures import count

VALID: dict[str, str] = {
    "speaker": "dario-amodei",
    "milestone": "asl-4",
    "said_on": "2024-04-12",
    "said_precision": "day",
    "quote": "I think ASL 4 could happen anywhere from 2025 to 2028.",
    "verbatim": "verbatim",
    "locator": "00:16:25",
    "verification": "unverified",
    "kind": "window",
    "year_low": "2025",
    "year_high": "2028",
    "action": "save",
}


def _rows(session: Session) -> tuple[int, int, int, int]:
    return count(session, Claim), count(session, ClaimRevision), count(session, Speaker), count(session, Source)


def _new_id(response: Any) -> int:
    match = re.fullmatch(r"/claims/(\d+)", response.headers["Location"])
    assert match, response.headers.get("Location")
    return int(match.group(1))


def test_the_form_has_every_field(editor: FlaskClient) -> None:
    page = editor.get("/admin/claims/new").get_data(as_text=True)
    for name in (
        "speaker",
        "new_speaker_name",
        "speaker_role",
        "milestone",
        "source",
        "new_source_title",
        "new_source_kind",
        "new_source_url",
        "new_source_published_on",
        "said_on",
        "said_precision",
        "quote",
        "verbatim",
        "locator",
        "verification",
        "notes",
        "kind",
        "year_low",
        "year_high",
        "probability",
        "points",
        "confidence",
        "relative_phrase",
        "definition",
        "csrf_token",
    ):
        assert f'name="{name}"' in page, name
    assert 'data-kinds="window point lower_bound"' in page  # year_low shows for these kinds only
    assert 'data-parse-url="/admin/claims/suggest"' in page
    assert "admin/admin.js" in page


def test_saving_a_claim_shows_its_page(editor: FlaskClient, seeded_session: Session) -> None:
    before = _rows(seeded_session)
    response = editor.post("/admin/claims/new", data=VALID)
    assert response.status_code == 302
    claim = seeded_session.get(Claim, _new_id(response))
    assert claim is not None
    assert (claim.speaker.slug, claim.milestone.slug, claim.year_low, claim.year_high) == (
        "dario-amodei",
        "asl-4",
        2025,
        2028,
    )
    assert (claim.entered_by, claim.locator, claim.verbatim) == ("editor@example.org", "00:16:25", True)
    assert claim.revisions[0].changed_by == "editor@example.org"
    assert _rows(seeded_session) == (before[0] + 1, before[1] + 1, before[2], before[3])


def test_inputs_the_kind_does_not_use_are_ignored(editor: FlaskClient, seeded_session: Session) -> None:
    data = {**VALID, "kind": "upper_bound", "year_low": "1999", "year_high": "2030", "points": "garbage"}
    claim = seeded_session.get(Claim, _new_id(editor.post("/admin/claims/new", data=data)))
    assert claim is not None
    assert (claim.forecast_kind, claim.year_low, claim.year_high) == ("upper_bound", None, 2030)


def test_a_speaker_and_a_source_added_inline(editor: FlaskClient, seeded_session: Session) -> None:
    data = {
        **VALID,
        "speaker": "",
        "new_speaker_name": "Ada Lovelace",
        "new_speaker_kind": "person",
        "new_source_title": "An interview",
        "new_source_kind": "podcast",
        "new_source_url": "https://example.org/ep1",
        "new_source_published_on": "2024-04-12",
    }
    claim = seeded_session.get(Claim, _new_id(editor.post("/admin/claims/new", data=data)))
    assert claim is not None and claim.source is not None
    assert (claim.speaker.slug, claim.speaker.name) == ("ada-lovelace", "Ada Lovelace")
    assert (claim.source.key, claim.source.kind, claim.source.url) == (
        "an-interview-2024-04-12",
        "podcast",
        "https://example.org/ep1",
    )


def test_quantiles_and_percentages(editor: FlaskClient, seeded_session: Session) -> None:
    data = {**VALID, "kind": "quantiles", "points": "2030, 10%\n2040, 0.5\n2060, 0.9"}
    claim = seeded_session.get(Claim, _new_id(editor.post("/admin/claims/new", data=data)))
    assert claim is not None
    assert [(p.year, p.probability) for p in claim.points] == [(2030, 0.1), (2040, 0.5), (2060, 0.9)]
    data = {**VALID, "kind": "probability_by", "year_high": "2030", "probability": "50%"}
    claim = seeded_session.get(Claim, _new_id(editor.post("/admin/claims/new", data=data)))
    assert claim is not None and claim.probability == 0.5


INVALID = [
    ("quote", {"quote": "  "}, "is required"),
    ("said_on", {"said_on": ""}, "is required"),
    ("said_on", {"said_on": "2024-13-01"}, "is not a date"),
    ("speaker", {"speaker": ""}, "choose a speaker"),
    ("speaker", {"speaker": "no-such-person"}, "no speaker"),
    ("speaker", {"new_speaker_name": "Someone New"}, "not both"),
    ("new_speaker_slug", {"speaker": "", "new_speaker_name": "Dario", "new_speaker_slug": "dario-amodei"}, "exists"),
    ("new_speaker_slug", {"speaker": "", "new_speaker_name": "X", "new_speaker_slug": "Not A Slug"}, "not a slug"),
    ("milestone", {"milestone": ""}, "choose a milestone"),
    ("milestone", {"milestone": "no-such-milestone"}, "no milestone"),
    ("source", {"source": "no-such-source"}, "no source"),
    ("new_source_url", {"new_source_title": "T", "new_source_url": "ftp://x"}, "not an http(s) URL"),
    ("new_source_published_on", {"new_source_title": "T", "new_source_published_on": "soon"}, "is not a date"),
    ("kind", {"kind": ""}, "choose a kind"),
    ("kind", {"kind": "sometime"}, "choose a kind"),
    ("year_low", {"year_low": "2030", "year_high": "2025"}, "is after year_high"),
    ("year_low", {"year_low": "twenty"}, "is not a year"),
    ("year_low", {"year_low": "20228"}, "outside"),
    ("year_high", {"year_high": ""}, "is required for a window forecast"),
    ("year_low", {"kind": "point", "year_low": ""}, "is required for a point forecast"),
    ("probability", {"probability": "1.5"}, "is not a probability"),
    ("probability", {"probability": "likely"}, "is not a number"),
    ("probability", {"kind": "probability_by", "year_high": "2030"}, "is required"),
    ("points", {"kind": "quantiles", "points": ""}, "needs at least one"),
    ("points", {"kind": "quantiles", "points": "2040, 0.5\n2030, 0.9"}, "increase together"),
    ("points", {"kind": "quantiles", "points": "2040 half"}, "is not 'year, probability'"),
    ("locator", {"locator": "00:99:00"}, "minutes and seconds run to 59"),
    ("said_precision", {"said_precision": "week"}, "is not one of"),
    ("verification", {"verification": "maybe"}, "is not one of"),
]


@pytest.mark.parametrize(("field", "change", "message"), INVALID, ids=[f"{f}-{m}" for f, _, m in INVALID])
@pytest.mark.parametrize("action", ["save", "preview"])
def test_every_validation_error_is_named_next_to_its_field_and_nothing_is_written(
    editor: FlaskClient, seeded_session: Session, field: str, change: dict[str, str], message: str, action: str
) -> None:
    before = _rows(seeded_session)
    response = editor.post("/admin/claims/new", data={**VALID, **change, "action": action})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    errors = re.search(rf'<ul class="errors" id="{field}-error">(.*?)</ul>', page, re.S)
    assert errors is not None, page[page.find("errors") :][:400]
    assert message in errors.group(1).replace("&#39;", "'")
    assert _rows(seeded_session) == before


def test_several_problems_are_shown_at_once(editor: FlaskClient) -> None:
    page = editor.post("/admin/claims/new", data={**VALID, "quote": "", "milestone": "", "year_low": "x"}).data
    for field in (b"quote", b"milestone", b"year_low"):
        assert b'id="' + field + b'-error"' in page


def test_preview_shows_the_reading_and_the_aggregate_and_writes_nothing(
    editor: FlaskClient, seeded_session: Session
) -> None:
    before = _rows(seeded_session)
    response = editor.post("/admin/claims/new", data={**VALID, "action": "preview"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'class="explanation"' in page and "2025" in page
    assert '<polyline class="cdf" points="' in page
    assert "How the asl-4 aggregate would move" in page
    move = re.search(r'<table class="admin-table" id="aggregate-move">(.*?)</table>', page, re.S)
    assert move is not None and "With this claim" in move.group(1)
    assert _rows(seeded_session) == before
    assert 'value="I think ASL 4 could happen anywhere from 2025 to 2028."' not in page  # textarea, not attribute
    assert "I think ASL 4 could happen anywhere from 2025 to 2028.</textarea>" in page


def test_user_text_is_escaped(editor: FlaskClient, seeded_session: Session) -> None:
    quote = '<script>alert("x")</script> AGI by 2030'
    claim_id = _new_id(editor.post("/admin/claims/new", data={**VALID, "quote": quote}))
    for url in (f"/admin/claims/{claim_id}/edit", f"/admin/claims/{claim_id}/history", "/admin/"):
        page = editor.get(url).get_data(as_text=True)
        assert "<script>alert" not in page, url
        assert "&lt;script&gt;alert" in page, url


def _edit_data(page: str, **changes: str) -> dict[str, str]:
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page)
    assert version is not None
    return {**VALID, "version": version.group(1), **changes}


def test_an_edit_based_on_a_stale_version_overwrites_nothing(editor: FlaskClient, seeded_session: Session) -> None:
    claim_id = _new_id(editor.post("/admin/claims/new", data=VALID))
    mine = editor.get(f"/admin/claims/{claim_id}/edit").get_data(as_text=True)
    theirs = editor.get(f"/admin/claims/{claim_id}/edit").get_data(as_text=True)
    saved = editor.post(f"/admin/claims/{claim_id}/edit", data=_edit_data(theirs, year_high="2027"))
    assert saved.status_code == 302 and saved.headers["Location"] == f"/claims/{claim_id}"
    revisions = count(seeded_session, ClaimRevision)
    stale = editor.post(f"/admin/claims/{claim_id}/edit", data=_edit_data(mine, year_high="2029", notes="mine"))
    assert stale.status_code == 409
    page = stale.get_data(as_text=True)
    assert "Someone else saved this claim meanwhile" in page
    assert "year_high=2029" in page and "year_high=2027" in page  # both versions side by side
    claim = seeded_session.get(Claim, claim_id)
    assert claim is not None
    seeded_session.refresh(claim)
    assert (claim.year_high, claim.notes, claim.version) == (2027, None, 2)
    assert count(seeded_session, ClaimRevision) == revisions
    # The form now carries the current version: saving again overwrites, knowingly.
    again = editor.post(f"/admin/claims/{claim_id}/edit", data=_edit_data(page, year_high="2029", notes="mine"))
    assert again.status_code == 302
    seeded_session.refresh(claim)
    assert (claim.year_high, claim.notes, claim.version) == (2029, "mine", 3)


def test_an_edit_with_errors_writes_nothing(editor: FlaskClient, seeded_session: Session) -> None:
    claim_id = _new_id(editor.post("/admin/claims/new", data=VALID))
    page = editor.get(f"/admin/claims/{claim_id}/edit").get_data(as_text=True)
    response = editor.post(f"/admin/claims/{claim_id}/edit", data=_edit_data(page, year_low="2031"))
    assert response.status_code == 422
    claim = seeded_session.get(Claim, claim_id)
    assert claim is not None
    seeded_session.refresh(claim)
    assert (claim.year_low, claim.version) == (2025, 1)


def test_the_edit_form_is_filled_and_previews_in_place(editor: FlaskClient, seeded_session: Session) -> None:
    claim_id = _new_id(
        editor.post("/admin/claims/new", data={**VALID, "kind": "quantiles", "points": "2030, 0.25\n2040, 0.75"})
    )
    page = editor.get(f"/admin/claims/{claim_id}/edit").get_data(as_text=True)
    assert "2030, 0.25\n2040, 0.75</textarea>" in page
    assert '<option selected value="quantiles">' in page
    preview = editor.post(
        f"/admin/claims/{claim_id}/edit",
        data=_edit_data(page, action="preview", kind="quantiles", points="2030, 0.25\n2040, 0.75"),
    )
    assert preview.status_code == 200 and b'id="aggregate-move"' in preview.data


def test_history_shows_who_changed_what_and_restores(editor: FlaskClient, seeded_session: Session) -> None:
    claim_id = _new_id(editor.post("/admin/claims/new", data=VALID))
    page = editor.get(f"/admin/claims/{claim_id}/edit").get_data(as_text=True)
    editor.post(f"/admin/claims/{claim_id}/edit", data=_edit_data(page, year_high="2030", reason="typo"))
    history = editor.get(f"/admin/claims/{claim_id}/history").get_data(as_text=True)
    second = history[history.index('id="revision-2"') : history.index('id="revision-1"')]
    assert "editor@example.org" in second and "typo" in second
    change = re.search(
        r'<th scope="row">forecast.year_high</th><td class="before">(\d+)</td><td class="after">(\d+)', second
    )
    assert change is not None and change.groups() == ("2028", "2030")
    assert "quote" not in second  # only what changed
    restored = editor.post(f"/admin/claims/{claim_id}/revisions/1/restore")
    assert restored.status_code == 302
    claim = seeded_session.get(Claim, claim_id)
    assert claim is not None
    seeded_session.refresh(claim)
    assert (claim.year_high, claim.version) == (2028, 3)
    assert [r.action for r in claim.revisions] == ["create", "update", "restore"]
    assert claim.revisions[-1].reason == "restored revision 1"
    assert editor.post(f"/admin/claims/{claim_id}/revisions/99/restore").status_code == 302  # flashed, no change
    seeded_session.refresh(claim)
    assert claim.version == 3


def test_delete_moves_to_the_trash_and_restore_brings_back(editor: FlaskClient, seeded_session: Session) -> None:
    claim_id = _new_id(editor.post("/admin/claims/new", data=VALID))
    live = count(seeded_session, Claim)
    assert editor.post(f"/admin/claims/{claim_id}/delete").headers["Location"] == "/admin/trash"
    claim = seeded_session.get(Claim, claim_id)
    assert claim is not None
    seeded_session.refresh(claim)
    assert claim.deleted_at is not None and count(seeded_session, Claim) == live  # soft
    trash = editor.get("/admin/trash").get_data(as_text=True)
    assert f"/admin/claims/{claim_id}/restore" in trash and "editor@example.org" in trash
    assert editor.get(f"/admin/claims/{claim_id}/edit").status_code == 404
    assert editor.post(f"/admin/claims/{claim_id}/restore").status_code == 302
    seeded_session.refresh(claim)
    assert claim.deleted_at is None
    assert [r.action for r in claim.revisions] == ["create", "delete", "restore"]
    assert f"/admin/claims/{claim_id}/restore" not in editor.get("/admin/trash").get_data(as_text=True)


def test_the_claims_list_finds_by_text(editor: FlaskClient) -> None:
    page = editor.get("/admin/?q=Amodei").get_data(as_text=True)
    assert "Dario Amodei" in page and "Yann LeCun" not in page


def test_the_speakers_definition_is_saved_and_shown(editor: FlaskClient, seeded_session: Session) -> None:
    words = "an AI that can do any task an educated human can"
    response = editor.post("/admin/claims/new", data={**VALID, "definition": words})
    assert response.status_code == 302
    claim = seeded_session.get(Claim, _new_id(response))
    assert claim is not None and claim.definition == words
    page = editor.get(response.headers["Location"]).get_data(as_text=True)
    assert "Their definition" in page and words in page
    form = editor.get(f"/admin/claims/{claim.id}/edit").get_data(as_text=True)
    assert words in form  # the edit form is filled with it
