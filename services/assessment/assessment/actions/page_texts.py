"""Labels the action plan pages pick by value (an action's status), marked for the catalog.

The pages' other texts are written in their templates (``gettext``); a template translates these
at use: ``gettext(action_statuses[action.status])``.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from shared.translations import N_

STATUSES: Mapping[str, str] = MappingProxyType(
    {
        "planned": N_("Planned"),
        "in_progress": N_("In progress"),
        "done": N_("Done"),
        "dropped": N_("Dropped"),
    }
)
