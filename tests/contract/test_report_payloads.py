"""``report.ready`` and ``report.failed`` v1 grew additively (ADR 0012): ``revision`` and
``supersedes`` are optional, an older producer's event loads as revision 1 superseding nothing,
and a consumer that knows only the first fields loads a newer event unchanged (it ignores them)."""

import pytest
from marshmallow import Schema

from shared.events import InvalidEvent, new_event
from shared.payloads import REGISTRY, ReportFailedV1, ReportReadyV1

ORIGINAL = {"report_id", "assessment_id", "administration_id", "version", "language"}
ORIGINAL |= {"title", "formats", "notify"}
READY = {
    "report_id": "rep-2",
    "assessment_id": "asm-1",
    "administration_id": "adm-1",
    "version": 1,
    "language": "en",
    "formats": ["html", "pdf", "xlsx"],
}


def test_report_ready_stays_at_version_one_with_two_optional_fields():
    assert REGISTRY["report.ready"] == (1, ReportReadyV1)
    fields = ReportReadyV1().fields
    assert set(fields) == ORIGINAL | {"revision", "supersedes"}
    assert not fields["revision"].required and not fields["supersedes"].required


def test_an_older_producers_event_is_revision_one_superseding_nothing():
    event = new_event("report.ready", source="reports", data=READY, subject="rep-2")
    assert event.dataschema.endswith("/report.ready/v1")
    assert (event.data["revision"], event.data["supersedes"]) == (1, None)


def test_a_consumer_knowing_only_the_first_fields_loads_a_revision_unchanged():
    revised = {**READY, "revision": 2, "supersedes": "rep-1"}
    data = new_event("report.ready", source="reports", data=revised, subject="rep-2").data
    first_fields = {name: field for name, field in ReportReadyV1().fields.items()}
    del first_fields["revision"], first_fields["supersedes"]
    old_consumer = Schema.from_dict(first_fields)()
    loaded = old_consumer.load(data, unknown="exclude")
    assert {key: loaded[key] for key in READY} == READY
    assert "revision" not in loaded


@pytest.mark.parametrize("bad", [{"revision": 0}, {"revision": "two"}, {"supersedes": 3}])
def test_a_revision_below_one_or_of_another_type_is_refused(bad):
    with pytest.raises(InvalidEvent):
        new_event("report.ready", source="reports", data={**READY, **bad}, subject="rep-2")


FAILED_ORIGINAL = (ORIGINAL - {"formats"}) | {"reason"}
FAILED = {**{k: v for k, v in READY.items() if k != "formats"}, "reason": "invalid report data"}


def test_report_failed_stays_at_version_one_with_the_same_two_optional_fields():
    assert REGISTRY["report.failed"] == (1, ReportFailedV1)
    fields = ReportFailedV1().fields
    assert set(fields) == FAILED_ORIGINAL | {"revision", "supersedes"}
    assert not fields["revision"].required and not fields["supersedes"].required


def test_an_older_report_failed_is_revision_one_and_a_newer_one_loads_for_an_old_consumer():
    older = new_event("report.failed", source="reports", data=FAILED, subject="rep-2")
    assert older.dataschema.endswith("/report.failed/v1")
    assert (older.data["revision"], older.data["supersedes"]) == (1, None)
    revised = {**FAILED, "revision": 2, "supersedes": "rep-1"}
    data = new_event("report.failed", source="reports", data=revised, subject="rep-2").data
    assert (data["revision"], data["supersedes"]) == (2, "rep-1")
    first_fields = dict(ReportFailedV1().fields)
    del first_fields["revision"], first_fields["supersedes"]
    loaded = Schema.from_dict(first_fields)().load(data, unknown="exclude")
    assert {key: loaded[key] for key in FAILED} == FAILED and "revision" not in loaded


@pytest.mark.parametrize("bad", [{"revision": 0}, {"revision": "two"}, {"supersedes": 3}])
def test_a_failed_revision_below_one_or_of_another_type_is_refused(bad):
    with pytest.raises(InvalidEvent):
        new_event("report.failed", source="reports", data={**FAILED, **bad}, subject="rep-2")
