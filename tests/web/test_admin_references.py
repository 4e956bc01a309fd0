"""Speakers, sources and milestones: create and edit pages; only admins record a milestone's resolution."""

from __future__ import annotations

import datetime as dt

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from forecasts.storage.orm import Milestone, Source, Speaker
from tests.web.admin_fixtures import *  # noqa: F403 (the fixtures)
from tests.web.admin_fixtures import count


def test_speakers_are_created_and_edited(editor: FlaskClient, seeded_session: Session) -> None:
    assert b"dario-amodei" in editor.get("/admin/speakers").data
    before = count(seeded_session, Speaker)
    bad = editor.post("/admin/speakers/new", data={"slug": "Not A Slug", "name": "X", "kind": "person"})
    assert bad.status_code == 422 and b'id="slug-error"' in bad.data
    taken = editor.post("/admin/speakers/new", data={"slug": "dario-amodei", "name": "X", "kind": "person"})
    assert taken.status_code == 422 and b"exists" in taken.data
    assert count(seeded_session, Speaker) == before
    ok = editor.post("/admin/speakers/new", data={"slug": "ada-lovelace", "name": "Ada Lovelace", "kind": "person"})
    assert ok.status_code == 302
    form = editor.get("/admin/speakers/ada-lovelace/edit")
    assert b"Ada Lovelace" in form.data
    edited = editor.post(
        "/admin/speakers/ada-lovelace/edit", data={"slug": "ignored", "name": "Augusta Ada King", "kind": "person"}
    )
    assert edited.status_code == 302
    row = seeded_session.scalar(select(Speaker).where(Speaker.slug == "ada-lovelace"))
    assert row is not None and row.name == "Augusta Ada King"
    assert count(seeded_session, Speaker) == before + 1
    assert editor.get("/admin/speakers/nobody/edit").status_code == 404


def test_sources_are_created_and_edited(editor: FlaskClient, seeded_session: Session) -> None:
    bad = editor.post(
        "/admin/sources/new", data={"key": "a-talk", "kind": "talk", "title": "A talk", "url": "not a url"}
    )
    assert bad.status_code == 422 and b'id="url-error"' in bad.data
    assert seeded_session.scalar(select(Source).where(Source.key == "a-talk")) is None
    ok = editor.post(
        "/admin/sources/new",
        data={
            "key": "a-talk",
            "kind": "talk",
            "title": "A talk",
            "published_on": "2024-05-01",
            "published_precision": "day",
        },
    )
    assert ok.status_code == 302
    assert b'value="2024-05-01"' in editor.get("/admin/sources/a-talk/edit").data
    editor.post("/admin/sources/a-talk/edit", data={"key": "a-talk", "kind": "talk", "title": "A better talk"})
    row = seeded_session.scalar(select(Source).where(Source.key == "a-talk"))
    assert row is not None and row.title == "A better talk"


def test_only_admins_record_a_resolution(editor: FlaskClient, admin: FlaskClient, seeded_session: Session) -> None:
    row = seeded_session.scalar(select(Milestone).where(Milestone.slug == "realtime-video-call-ai"))
    assert row is not None
    before = (row.resolved_on, row.resolution)
    data = {
        "name": "Real-time video calls",
        "definition": "A real-time video call with an AI avatar.",
        "resolved_on": "2031-01-02",
        "resolution": "said by an editor",
    }
    assert b"disabled" in editor.get("/admin/milestones/realtime-video-call-ai/edit").data
    assert editor.post("/admin/milestones/realtime-video-call-ai/edit", data=data).status_code == 302
    seeded_session.refresh(row)
    assert row.name == "Real-time video calls"  # editors edit the rest
    assert (row.resolved_on, row.resolution) == before
    data = {**data, "resolved_on": "2024-05-13", "resolution": "GPT-4o demo"}
    bad = admin.post("/admin/milestones/realtime-video-call-ai/edit", data={**data, "resolved_on": ""})
    assert bad.status_code == 422 and b'id="resolved_on-error"' in bad.data
    assert admin.post("/admin/milestones/realtime-video-call-ai/edit", data=data).status_code == 302
    seeded_session.refresh(row)
    assert (row.resolved_on, row.resolution) == (dt.date(2024, 5, 13), "GPT-4o demo")


def test_a_new_milestone(editor: FlaskClient, seeded_session: Session) -> None:
    ok = editor.post(
        "/admin/milestones/new",
        data={
            "slug": "robot-plumber",
            "name": "Robot plumber",
            "definition": "A robot that can fix any sink.",
            "parent": "agi",
        },
    )
    assert ok.status_code == 302
    row = seeded_session.scalar(select(Milestone).where(Milestone.slug == "robot-plumber"))
    assert row is not None and row.parent is not None and row.parent.slug == "agi"
    own = editor.post("/admin/milestones/new", data={"slug": "x-y", "name": "X", "definition": "d", "parent": "x-y"})
    assert own.status_code == 422
