"""Pure rules of action plans: due dates from roadmap phases, overdue, evidence."""

from datetime import date

import pytest

from assessment.actions.documents import add_months
from assessment.actions.models import PlanAction
from assessment.actions.rules import has_evidence, is_overdue


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 12, 7), 6, date(2027, 6, 7)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2027, 8, 31), 6, date(2028, 2, 29)),
        (date(2026, 1, 15), 36, date(2029, 1, 15)),
    ],
)
def test_adding_months_keeps_the_day_or_takes_the_months_last(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("status", "target", "overdue"),
    [
        ("planned", date(2026, 12, 6), True),
        ("in_progress", date(2026, 12, 6), True),
        ("planned", date(2026, 12, 7), False),  # due today is not late yet
        ("done", date(2026, 1, 1), False),
        ("dropped", date(2026, 1, 1), False),
    ],
)
def test_an_action_is_overdue_once_its_date_passed_unless_done_or_dropped(status, target, overdue):
    action = PlanAction(status=status, target_date=target)
    assert is_overdue(action, date(2026, 12, 7)) is overdue


@pytest.mark.parametrize(
    ("evidence", "enough"),
    [
        ({"note": "Minutes of the steering committee"}, True),
        ({"link": "https://example.org/x"}, True),
        ({"contribution_id": "c-1"}, True),
        ({"note": "   ", "link": None, "contribution_id": ""}, False),
        ({}, False),
    ],
)
def test_evidence_is_a_note_a_link_or_a_contribution(evidence, enough):
    assert has_evidence(evidence) is enough
