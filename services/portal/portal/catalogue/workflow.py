"""The editorial workflow's rules (no I/O): states, transitions, and the second-editor rule.

    draft -> in_review -> published -> archived
      ^         |            |            |
      +---------+------------+------------+   (back to draft for edits)

Editors edit drafts, items in review and published items (a published item stays published and
its change is announced). Publishing needs a second editor: nobody who changed the content
since its last publication may publish it, so every published text was seen by someone else.
"""

from __future__ import annotations

from shared.errors import ApiError

DRAFT, IN_REVIEW, PUBLISHED, ARCHIVED = "draft", "in_review", "published", "archived"
EDITABLE = frozenset({DRAFT, IN_REVIEW, PUBLISHED})

# action -> (states it starts from, state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "submit": (frozenset({DRAFT}), IN_REVIEW),
    "publish": (frozenset({IN_REVIEW}), PUBLISHED),
    "archive": (frozenset({DRAFT, IN_REVIEW, PUBLISHED}), ARCHIVED),
    "reopen": (frozenset({IN_REVIEW, PUBLISHED, ARCHIVED}), DRAFT),
}


def next_status(action: str, status: str) -> str:
    """Return the state ``action`` leads to from ``status``, or raise 409 invalid_transition."""
    sources, target = TRANSITIONS[action]
    if status not in sources:
        raise ApiError(
            409,
            "invalid_transition",
            f"'{action}' is not possible from '{status}' (from: {', '.join(sorted(sources))})",
        )
    return target


def allows(action: str, status: str) -> bool:
    """Return whether ``action`` is possible from ``status``."""
    return status in TRANSITIONS[action][0]


def check_editable(status: str) -> None:
    """Raise 409 when an item in ``status`` cannot be edited (archived: reopen it first)."""
    if status not in EDITABLE:
        raise ApiError(409, "invalid_transition", f"an item in '{status}' cannot be edited")


def check_publisher(subject: str, contributors: list[str]) -> None:
    """Raise 403 second_editor_required when ``subject`` changed the content being published."""
    if subject in contributors:
        raise ApiError(
            403,
            "second_editor_required",
            "you changed this item since its last publication: another editor must publish it",
        )


def with_contributor(contributors: list[str], subject: str) -> list[str]:
    """Return ``contributors`` with ``subject`` added."""
    return sorted({*contributors, subject})
