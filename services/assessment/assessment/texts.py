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


# French versions of the messages the service's refusals carry (``shared.messages``).
MESSAGES_FR = {
    "only a coordinator starts an assessment": "seul un coordinateur lance une évaluation",
    "an administration is required": "une administration est requise",
    "unknown areas: {areas}": "domaines inconnus : {areas}",
    "the assessment changed meanwhile: save again": (
        "l'évaluation a changé entre-temps : enregistrez à nouveau"
    ),
    "Must be a level from 1 to 5, 'dont_know' or 'not_applicable'.": (
        "Doit être un niveau de 1 à 5, « dont_know » ou « not_applicable »."
    ),
    "must be an object": "doit être un objet",
    "use lower-case letters, digits, . _ -": "utilisez des minuscules, des chiffres, . _ -",
    "describe exactly the levels 1 to 5": "décrivez exactement les niveaux 1 à 5",
    "duplicate keys: {keys}": "clés en double : {keys}",
    "{case}: unknown areas {areas}": "{case} : domaines inconnus {areas}",
    "from {version}: unknown indicators {indicators}": (
        "depuis {version} : indicateurs inconnus {indicators}"
    ),
    "name exactly five levels, 1 to 5": "nommez exactement cinq niveaux, de 1 à 5",
    "unknown reference {reference}: no framework {framework} {version}": (
        "référence inconnue {reference} : aucun référentiel {framework} {version}"
    ),
    "unknown reference {reference}: {framework} {version} has no area {area}": (
        "référence inconnue {reference} : {framework} {version} n'a pas de domaine {area}"
    ),
    "malformed reference {reference}: write <framework>@<version>/<area>": (
        "référence mal formée {reference} : écrivez <référentiel>@<version>/<domaine>"
    ),
    "{reference}: a framework cannot reuse its own area": (
        "{reference} : un référentiel ne peut pas réutiliser son propre domaine"
    ),
    "{reference}: the module has no indicators {indicators}": (
        "{reference} : le module ne contient pas les indicateurs {indicators}"
    ),
    "{reference}: indicators must be a non-empty list of indicator keys": (
        "{reference} : indicators doit être une liste non vide de clés d'indicateurs"
    ),
    "{reference}: unknown fields {fields}": "{reference} : champs inconnus {fields}",
    "reference not resolved: publish the framework it points to first": (
        "référence non résolue : publiez d'abord le référentiel auquel elle renvoie"
    ),
    "reference cycle: {cycle}": "références circulaires : {cycle}",
    "not offered as pre-filled: {indicators}": "non proposées comme préremplies : {indicators}",
}
