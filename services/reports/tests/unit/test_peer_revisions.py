"""When a peer-learning event gives a report a new revision (ADR 0012): an opt-in or opt-out
that changes the section does; a first publication gives it to a report that lacks it; a
recomputation or a withdrawal leaves the dated snapshot; a queued or failed build reads the read
model itself."""

import pytest

from reports.peer_revisions import Trigger, needs_new_revision

WCA = {"region": "wca", "areas": [], "computed_at": "2026-03-01T09:00:00+00:00"}
WCA_LATER = {**WCA, "computed_at": "2026-03-09T09:00:00+00:00"}
EUR = {**WCA, "region": "eur"}
P, A = Trigger.PARTICIPATION, Trigger.AGGREGATE


@pytest.mark.parametrize(
    ("status", "shown", "current", "trigger", "expected"),
    [
        ("ready", None, WCA, P, True),  # opted in: the report gains the section
        ("ready", WCA, None, P, True),  # opted out: it loses it
        ("ready", WCA, EUR, P, True),  # opted in to another region
        ("ready", None, None, P, False),  # opted in, nothing published yet: the same report
        ("ready", WCA, WCA_LATER, P, False),  # already shows that region's distribution
        ("building", None, WCA, P, True),  # its build read the read model before the change
        ("queued", None, WCA, P, False),  # its build reads the read model when it starts
        ("failed", None, WCA, P, False),  # so does its retry
        ("ready", None, WCA, A, True),  # first publication: the section appears
        ("ready", WCA, WCA_LATER, A, False),  # a recomputation: the snapshot keeps its date
        ("ready", WCA, None, A, False),  # a withdrawal: the snapshot stays
        ("queued", None, WCA, A, False),
    ],
)
def test_a_new_revision_is_built_only_when_the_section_appears_or_goes_by_choice(
    status, shown, current, trigger, expected
):
    assert (
        needs_new_revision(status=status, shown=shown, current=current, trigger=trigger) is expected
    )
