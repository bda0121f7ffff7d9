"""Labels the bulk answer pages pick by value (a mode, a job's status), marked for the catalog.

The pages' other texts are written in their templates (``gettext``); a template translates these
at use: ``gettext(bulk.statuses[job.status])``.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from shared.translations import N_

LABELS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "modes": {
            "all_or_nothing": N_("All or nothing: store nothing if a row is wrong"),
            "accept_valid": N_("Store the valid rows and report the others"),
        },
        "short_modes": {
            "all_or_nothing": N_("All or nothing"),
            "accept_valid": N_("Valid rows"),
        },
        "statuses": {
            "queued": N_("Queued"),
            "running": N_("Running"),
            "succeeded": N_("Imported"),
            "completed_with_errors": N_("Imported with errors"),
            "rejected": N_("Rejected"),
            "failed": N_("Failed"),
        },
        "explains": {
            "queued": N_("The import is waiting for the importer; this page follows it."),
            "running": N_("The rows are being checked and stored; this page follows them."),
            "succeeded": N_("Every row was imported."),
            "completed_with_errors": N_(
                "The valid rows were stored; the rows listed below were not: correct them and "
                "upload them again."
            ),
            "rejected": N_(
                "Nothing was stored, as some rows are wrong: correct them and upload the files "
                "again (or choose to store the valid rows)."
            ),
            "failed": N_("The import stopped on an unexpected error."),
        },
    }
)
