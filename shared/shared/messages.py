"""French versions of the messages that explain a refusal (a problem's ``detail`` and ``errors``).

Validation messages are written once, in English, where they are raised (marshmallow's own, the
platform's, a service's); this catalogue holds their French versions, so a problem answers in
the language of the request without every ``raise`` carrying both. A message may hold
placeholders (``"unknown areas: {areas}"``): the values found in the English text are put into
the French one. A message with no French version stays as it is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_PLACEHOLDER = re.compile(r"\{(\w+)(?:![rsa])?\}")

# English -> French, with no placeholders: looked up directly.
_EXACT: dict[str, str] = {}
# English with placeholders -> (its pattern, French with the same placeholders); tried most
# specific first (the most fixed text), so "at most {n} chars" wins over "at most {n}".
_TEMPLATES: dict[str, tuple[re.Pattern[str], str]] = {}
_PATTERNS: list[tuple[re.Pattern[str], str]] = []


def _pattern(english: str) -> re.Pattern[str]:
    parts, position = [], 0
    for match in _PLACEHOLDER.finditer(english):
        parts.append(re.escape(english[position : match.start()]))
        parts.append(f"(?P<{match.group(1)}>.+?)")
        position = match.end()
    parts.append(re.escape(english[position:]))
    return re.compile("".join(parts), re.DOTALL)


def register_translations(french: Mapping[str, str]) -> None:
    """Add French versions of English messages (``{name}`` placeholders carried over)."""
    for english, text in french.items():
        names = set(_PLACEHOLDER.findall(english))
        extra = set(_PLACEHOLDER.findall(text)) - names
        if extra:
            raise ValueError(f"{text!r} uses {sorted(extra)}, which {english!r} does not give")
        if not text.strip():
            raise ValueError(f"{english!r} needs a French version")
        if names:
            _TEMPLATES[english] = (_pattern(english), _PLACEHOLDER.sub(r"{\1}", text))
        else:
            _EXACT[english] = text
    fixed = {english: len(_PLACEHOLDER.sub("", english)) for english in _TEMPLATES}
    _PATTERNS[:] = [_TEMPLATES[e] for e in sorted(_TEMPLATES, key=fixed.__getitem__, reverse=True)]


def translate(message: str, language: str) -> str:
    """Return ``message`` in ``language`` (as it is when English or not in the catalogue)."""
    if language != "fr":
        return message
    exact = _EXACT.get(message)
    if exact is not None:
        return exact
    for pattern, text in _PATTERNS:
        match = pattern.fullmatch(message)
        if match:
            return text.format(**match.groupdict())
    return message


def translate_errors(errors: Any, language: str) -> Any:
    """Return field errors (nested mappings and lists of messages) with each message translated."""
    if language != "fr":
        return errors
    if isinstance(errors, str):
        return translate(errors, language)
    if isinstance(errors, Mapping):
        return {key: translate_errors(value, language) for key, value in errors.items()}
    if isinstance(errors, list | tuple):
        return [translate_errors(value, language) for value in errors]
    return errors


_RANGE_OPERATORS = {
    "greater than or equal to": "supérieur ou égal à",
    "greater than": "strictement supérieur à",
    "less than or equal to": "inférieur ou égal à",
    "less than": "strictement inférieur à",
}


def _range_messages() -> dict[str, str]:
    """marshmallow's ``Range`` messages, whose operators are filled in before ``{min}``."""
    lows = {k: v for k, v in _RANGE_OPERATORS.items() if k.startswith("greater")}
    highs = {k: v for k, v in _RANGE_OPERATORS.items() if k.startswith("less")}
    messages = {}
    for low, bas in lows.items():
        messages[f"Must be {low} {{min}}."] = f"Doit être {bas} {{min}}."
        for high, haut in highs.items():
            messages[f"Must be {low} {{min}} and {high} {{max}}."] = (
                f"Doit être {bas} {{min}} et {haut} {{max}}."
            )
    for high, haut in highs.items():
        messages[f"Must be {high} {{max}}."] = f"Doit être {haut} {{max}}."
    return messages


# marshmallow's default messages (fields and validators), then the shared library's own.
MARSHMALLOW_FR: dict[str, str] = {
    "Missing data for required field.": "Champ obligatoire manquant.",
    "Field may not be null.": "Ce champ ne peut pas être nul.",
    "Invalid value.": "Valeur invalide.",
    "Invalid type.": "Type invalide.",
    "Invalid input type.": "Type de données invalide.",
    "Invalid input.": "Saisie invalide.",
    "Unknown field.": "Champ inconnu.",
    "Not a valid list.": "Ce n'est pas une liste valide.",
    "Not a valid tuple.": "Ce n'est pas un n-uplet valide.",
    "Not a valid string.": "Ce n'est pas une chaîne de caractères valide.",
    "Not a valid utf-8 string.": "Ce n'est pas une chaîne UTF-8 valide.",
    "Not a valid UUID.": "Ce n'est pas un UUID valide.",
    "Not a valid number.": "Ce n'est pas un nombre valide.",
    "Number too large.": "Nombre trop grand.",
    "Not a valid integer.": "Ce n'est pas un nombre entier valide.",
    "Special numeric values (nan or infinity) are not permitted.": (
        "Les valeurs numériques spéciales (nan ou infini) ne sont pas admises."
    ),
    "Not a valid boolean.": "Ce n'est pas un booléen valide.",
    "Not a valid datetime.": "Ce n'est pas une date et heure valide.",
    "Not a valid naive datetime.": "Ce n'est pas une date et heure sans fuseau valide.",
    "Not a valid aware datetime.": "Ce n'est pas une date et heure avec fuseau valide.",
    "Not a valid time.": "Ce n'est pas une heure valide.",
    "Not a valid date.": "Ce n'est pas une date valide.",
    "Not a valid period of time.": "Ce n'est pas une durée valide.",
    "Not a valid mapping type.": "Ce n'est pas un objet valide.",
    "Not a valid URL.": "Ce n'est pas une URL valide.",
    "Not a valid email address.": "Ce n'est pas une adresse électronique valide.",
    "Not a valid IP address.": "Ce n'est pas une adresse IP valide.",
    "Not a valid IPv4 address.": "Ce n'est pas une adresse IPv4 valide.",
    "Not a valid IPv6 address.": "Ce n'est pas une adresse IPv6 valide.",
    "Not a valid IP interface.": "Ce n'est pas une interface IP valide.",
    "Not a valid IPv4 interface.": "Ce n'est pas une interface IPv4 valide.",
    "Not a valid IPv6 interface.": "Ce n'est pas une interface IPv6 valide.",
    "{input!r} cannot be formatted as a timedelta.": "{input} n'est pas une durée.",
    "String does not match expected pattern.": "Ne correspond pas au format attendu.",
    "Length must be between {min} and {max}.": (
        "La longueur doit être comprise entre {min} et {max}."
    ),
    "Length must be {equal}.": "La longueur doit être de {equal}.",
    "Longer than maximum length {max}.": "Dépasse la longueur maximale de {max}.",
    "Shorter than minimum length {min}.": "N'atteint pas la longueur minimale de {min}.",
    '"{input}" cannot be formatted as a {obj_type}.': "« {input} » n'est pas un(e) {obj_type}.",
    "Must be one of: {choices}.": "Doit être l'une des valeurs : {choices}.",
    "Must be equal to {other}.": "Doit être égal à {other}.",
    "One or more of the choices you made was not in: {choices}.": (
        "Au moins un des choix ne figure pas parmi : {choices}."
    ),
    "One or more of the choices you made was in: {values}.": (
        "Au moins un des choix figure parmi les valeurs exclues : {values}."
    ),
    **_range_messages(),
    # the shared library's own
    "Contains a control character ({code}) at position {at}.": (
        "Contient un caractère de contrôle ({code}) à la position {at}."
    ),
    "Contains an unpaired surrogate ({code}) at position {at}.": (
        "Contient un demi-caractère de substitution isolé ({code}) à la position {at}."
    ),
    "Must be on one line (no line break).": "Doit tenir sur une ligne (sans saut de ligne).",
    (
        "Too many writes from this caller: wait for Retry-After seconds; to send many answers, use "
        "POST /api/v1/assessment/assessments/{assessment_id}/bulk-answers"
    ): (
        "Trop d'écritures de cet appelant : attendez Retry-After secondes ; pour envoyer de "
        "nombreuses réponses, utilisez "
        "POST /api/v1/assessment/assessments/{assessment_id}/bulk-answers"
    ),
    "at most {count} chars": "au plus {count} caractères",
    "use an Authorization: Bearer token": "utilisez un jeton « Authorization: Bearer »",
    "token keys unavailable": "les clés de vérification des jetons sont indisponibles",
}

register_translations(MARSHMALLOW_FR)
