"""The in-app notifications' texts, marked for the reports catalog (English ids, ``%(name)s``)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from shared.translations import N_, Texts

# notification code -> its title and its body
TITLES: dict[str, str] = {
    "report_ready": N_("Your report is ready"),
    "report_failed": N_("A report could not be built"),
    "import_succeeded": N_("Your import is finished"),
    "import_completed_with_errors": N_("Your import is finished, with errors"),
    "import_rejected": N_("Your import was rejected"),
    "import_failed": N_("Your import failed"),
    "action_due_soon": N_("An action you own is due soon"),
    "action_overdue": N_("An action you own is overdue"),
    "forum_replied": N_("New reply in your thread"),
    "forum_quoted": N_("Your post was quoted"),
    "forum_mentioned": N_("You were mentioned in a forum"),
}
BODIES: dict[str, str] = {
    "report_ready": N_(
        "The report “%(title)s” (version %(version)s, %(language_name)s) can be downloaded."
    ),
    "report_failed": N_(
        "The report “%(title)s” (version %(version)s, %(language_name)s) could not be built. A "
        "coordinator can ask for it again."
    ),
    "import_succeeded": N_("%(stored)s from %(rows)s."),
    "import_completed_with_errors": N_(
        "%(stored)s from %(rows)s. %(refused)s: download the error report."
    ),
    "import_rejected": N_(
        "No answer was stored. %(refused)s: download the error report, correct the file and import "
        "it again."
    ),
    "import_failed": N_(
        "The import stopped on an unexpected error (%(stored)s). Open it for details or import the "
        "file again."
    ),
    "action_due_soon": N_(
        "The action “%(title)s” is due on %(due_date)s. Once it is done, mark it done with its "
        "evidence under My actions."
    ),
    "action_overdue": N_(
        "The action “%(title)s” was due on %(due_date)s. Mark it done with its evidence, or ask "
        "your coordinator for a new date."
    ),
    "forum_replied": N_("%(replier)s replied in your thread “%(thread_title)s”."),
    "forum_quoted": N_("%(replier)s quoted your post in the thread “%(thread_title)s”."),
    "forum_mentioned": N_("%(replier)s mentioned you in the thread “%(thread_title)s”."),
}


def phrases(t: Texts, params: Mapping[str, Any]) -> dict[str, str]:
    """Return an import's counts as phrases in their plural form (``1 234 answers stored``), an
    action's target date written the language's way, and who replied in a forum."""
    stored, rows, refused = (
        _count(params.get(field)) for field in ("answers_stored", "rows_total", "errors_count")
    )
    return {
        "due_date": _day(t, params.get("target_date")),
        "replier": str(params.get("replier_name") or "") or t.gettext("A member"),
        "stored": t.ngettext(
            "%(num)s answer stored", "%(num)s answers stored", stored, num=_grouped(t, stored)
        ),
        "rows": t.ngettext("%(num)s row", "%(num)s rows", rows, num=_grouped(t, rows)),
        "refused": t.ngettext(
            "%(num)s row was refused",
            "%(num)s rows were refused",
            refused,
            num=_grouped(t, refused),
        ),
    }


def _day(t: Texts, value: Any) -> str:
    try:
        return t.format_date(date.fromisoformat(str(value)))
    except ValueError:
        return str(value or "")


def _count(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def _grouped(t: Texts, count: int) -> str:
    return t.format_decimal(count, digits=0)
