"""The read model of portal resources and its use when a report is built."""

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from reports import resources
from reports.models import ReportFile, Resource
from reports.storage import load_file
from shared.events import new_event

T0 = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def content_event(event_type="content.published", *, at=T0, **overrides):
    data = {
        "item_id": "res-1",
        "kind": "guide",
        "visibility": "public",
        "languages": ["en", "fr"],
        "titles": {"en": "Data quality checks", "fr": "Contrôles de qualité des données"},
        "tags": ["data-quality", " Analytics "],
        "url": "/resources/data-quality",
        **overrides,
    }
    event = new_event(event_type, source="portal", data=data, subject=data["item_id"])
    return dataclasses.replace(event, time=at.isoformat())


def _apply(app, event):
    with app.extensions["db"].session(write=True) as session:
        return resources.apply_content_event(event, session=session)


def _rows(app):
    with app.extensions["db"].session() as session:
        return list(session.scalars(select(Resource)))


def _suggestible(app):
    with app.extensions["db"].session() as session:
        return resources.suggestible_resources(session)


def test_a_published_resource_is_recorded_once_however_often_delivered(app):
    event = content_event()
    _apply(app, event)
    _apply(app, event)
    (row,) = _rows(app)
    assert (row.item_id, row.visibility, row.archived) == ("res-1", "public", False)
    assert row.tags == ["analytics", "data-quality"]
    assert row.event_id == event.id
    assert [r["item_id"] for r in _suggestible(app)] == ["res-1"]


def test_an_update_replaces_the_resource_and_an_archive_removes_it_from_suggestions(app):
    _apply(app, content_event())
    _apply(app, content_event("content.updated", at=T0 + timedelta(minutes=1), tags=["cloud"]))
    assert _suggestible(app)[0]["tags"] == ["cloud"]
    _apply(app, content_event("content.archived", at=T0 + timedelta(minutes=2)))
    assert _suggestible(app) == []
    (row,) = _rows(app)
    assert row.archived is True


def test_an_older_event_arriving_late_changes_nothing(app):
    _apply(app, content_event("content.archived", at=T0 + timedelta(minutes=5)))
    _apply(app, content_event("content.updated", at=T0 + timedelta(minutes=1)))
    assert _suggestible(app) == []
    _apply(app, content_event("content.published", at=T0 + timedelta(minutes=9)))
    assert [r["item_id"] for r in _suggestible(app)] == ["res-1"]


@pytest.mark.parametrize("visibility", ["draft", "private", "internal"])
def test_resources_neither_public_nor_for_members_are_never_suggested(app, visibility):
    _apply(app, content_event(visibility=visibility))
    assert _suggestible(app) == []


def test_a_report_built_after_publication_links_the_matching_resource(app, make_report):
    _apply(app, content_event())
    _apply(app, content_event(item_id="res-2", titles={"en": "Gone"}, url="/resources/gone"))
    _apply(app, content_event("content.archived", at=T0 + timedelta(hours=1), item_id="res-2"))
    job = make_report()
    with app.extensions["db"].session() as session:
        row, content = load_file(
            session, app.extensions["reports.store"], report_id=job.id, fmt="html"
        )
    page = content.decode()
    assert "Data quality checks" in page
    assert "Gone" not in page
    assert isinstance(row, ReportFile)


def test_an_item_the_portal_says_is_not_published_is_not_suggested(app):
    _apply(app, content_event("content.updated", status="archived"))
    assert _suggestible(app) == []


def test_the_portals_own_payload_is_understood(app):
    payload = {
        "item_id": "it-9",
        "kind": "resource",
        "visibility": "members",
        "languages": ["en", "fr"],
        "titles": {"en": "Risk engine", "fr": "Moteur de risque"},
        "tags": ["analytics", "risk-management"],
        "url": "/catalogue/risk-engine",
        "slug": "risk-engine",
        "status": "published",
        "subtype": "guide",
        "summaries": {"en": "How", "fr": "Comment"},
        "technologies": ["analytics"],
        "domains": ["risk-management"],
        "topics": [],
        "region": "west-africa",
        "published_at": "2026-05-01T12:00:00+00:00",
    }
    _apply(app, new_event("content.published", source="portal", data=payload, subject="it-9"))
    (resource,) = _suggestible(app)
    assert (resource["url"], resource["visibility"]) == ("/catalogue/risk-engine", "members")
