"""Pure parts of the progress between assessments: the change of a level, and the summary."""

import pytest

from assessment.actions.progress import level_change, summarize


@pytest.mark.parametrize(
    ("then", "now", "change"),
    [
        (1, 3, 2.0),
        (3, 2.5, -0.5),  # a median of the team may be fractional
        (2, 2, 0.0),
        ("dont_know", 3, None),  # not a level: no change to show
        (2, "not_applicable", None),
        (None, 4, None),
    ],
)
def test_a_change_is_shown_only_between_two_levels(then, now, change):
    assert level_change(then, now) == change


def test_the_summary_counts_moves_and_those_with_actions_taken():
    rows = [
        {"change": 2.0, "actions": [{"status": "done"}]},
        {"change": 1.0, "actions": [{"status": "planned"}]},  # moved, but nothing was done yet
        {"change": 0.0, "actions": []},
        {"change": -1.0, "actions": [{"status": "in_progress"}]},
        {"change": None, "actions": [{"status": "done"}]},
    ]
    assert summarize(rows) == {
        "improved": 2,
        "unchanged": 1,
        "declined": 1,
        "with_actions": 4,
        "improved_with_actions_taken": 1,
    }
