"""Labels the assessment pages pick by value (a status, an answer, a note), marked for the catalog.

The pages' other texts are written in their templates (``gettext``); these are the English texts
(the catalog's ids) of the values a template shows, translated at use:
``gettext(labels.status[s])``.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from shared.translations import N_

LABELS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "status": {"in_progress": N_("In progress"), "submitted": N_("Submitted")},
        "answer": {"dont_know": N_("Don't know"), "not_applicable": N_("Not applicable")},
        "confidence": {"low": N_("Low"), "medium": N_("Medium"), "high": N_("High")},
        "note": {
            "answered": N_("counted"),
            "dont_know": N_("don't know: counted as level 1"),
            "not_applicable": N_("not applicable: excluded"),
            "unanswered": N_("not answered"),
            "caps_area": N_("foundation: caps the area"),
        },
        "effort": {
            "low": N_("low effort"),
            "medium": N_("medium effort"),
            "high": N_("high effort"),
        },
    }
)

# The results page's radar chart: its title and the names of its two series.
RADAR_TITLE = N_("Readiness profile")
RADAR_VALUE = N_("Level")
RADAR_TARGET = N_("Target")


# The English templates of the messages the service's refusals carry (``shared.messages``), which
# the assessment catalog translates.
MESSAGES: list[str] = [
    N_("only a coordinator starts an assessment"),
    N_("an administration is required"),
    N_("unknown areas: {areas}"),
    N_("the assessment changed meanwhile: save again"),
    N_("Must be a level from 1 to 5, 'dont_know' or 'not_applicable'."),
    N_("must be an object"),
    N_("use lower-case letters, digits, . _ -"),
    N_("describe exactly the levels 1 to 5"),
    N_("duplicate keys: {keys}"),
    N_("{case}: unknown areas {areas}"),
    N_("from {version}: unknown indicators {indicators}"),
    N_("name exactly five levels, 1 to 5"),
    N_("unknown reference {reference}: no framework {framework} {version}"),
    N_("unknown reference {reference}: {framework} {version} has no area {area}"),
    N_("malformed reference {reference}: write <framework>@<version>/<area>"),
    N_("{reference}: a framework cannot reuse its own area"),
    N_("{reference}: the module has no indicators {indicators}"),
    N_("{reference}: indicators must be a non-empty list of indicator keys"),
    N_("{reference}: unknown fields {fields}"),
    N_("reference not resolved: publish the framework it points to first"),
    N_("reference cycle: {cycle}"),
    N_("not offered as pre-filled: {indicators}"),
]
