"""Texts of the contribution pages a template shows by a value (a contribution's status, a step of
its review): the English texts, marked for the portal's gettext catalog and translated at use
(``gettext(contribution_statuses[c.status])``). The pages' other texts are in their templates."""

from __future__ import annotations

from shared.translations import N_

STATUSES: dict[str, str] = {
    "in_review": N_("In review"),
    "changes_requested": N_("Changes requested"),
    "published": N_("Published"),
    "archived": N_("Archived"),
}

REVIEW_STEPS: dict[str, str] = {
    "submitted": N_("sent for review"),
    "changes_requested": N_("changes requested"),
    "new_version": N_("new version sent"),
    "published": N_("published"),
    "archived": N_("archived"),
}
