"""The messages that explain a refusal (a problem's ``detail`` and ``errors``), translated.

Validation messages are written once, in English, where they are raised (marshmallow's own, the
platform's, a service's). A module registers the English templates it raises, marked with ``N_``
so ``make i18n`` puts them in its domain's catalog
(``register_messages("assessment", [N_("unknown areas: {areas}")])``); a problem then answers in
the language of the request without every ``raise`` carrying each language. A template may hold
``{name}`` placeholders: the rendered English message is matched back to its template (exactly,
else by the most specific pattern) and the values found in it are put into the translation. The
translation comes from the registering domain's catalog, else the shared one; a message with no
translation (or no template) stays in English.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from shared.i18n import DEFAULT, SUPPORTED
from shared.translations import N_, texts_for

SHARED_DOMAIN = "shared"
# A ``{name}`` placeholder, with an optional conversion (``{input!r}``) or format (``{n:d}``).
PLACEHOLDER = re.compile(r"\{(\w+)(?:![rsa])?(?::[^{}]*)?\}")


@dataclass
class _Template:
    """A registered English template: its pattern, the domains whose catalogs translate it."""

    english: str
    pattern: re.Pattern[str] | None
    domains: list[str] = field(default_factory=list)


# English template -> what translates it. Templates without placeholders are looked up directly;
# the others are tried most specific first (the most fixed text), so "at most {n} chars" wins
# over "at most {n}".
_TEMPLATES: dict[str, _Template] = {}
_PATTERNS: list[_Template] = []


def placeholders(text: str) -> set[str]:
    """Return the names of the ``{name}`` placeholders of ``text``."""
    return set(PLACEHOLDER.findall(text))


def _pattern(english: str) -> re.Pattern[str] | None:
    """Return the pattern matching ``english`` rendered, or None when it has no placeholder."""
    if not PLACEHOLDER.search(english):
        return None
    parts, position, seen = [], 0, set()
    for match in PLACEHOLDER.finditer(english):
        name = match.group(1)
        parts.append(re.escape(english[position : match.start()]))
        parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.+?)")
        seen.add(name)
        position = match.end()
    parts.append(re.escape(english[position:]))
    return re.compile("".join(parts), re.DOTALL)


def _template(english: str) -> _Template:
    if not english.strip():
        raise ValueError("a message template cannot be empty")
    if english not in _TEMPLATES:
        _TEMPLATES[english] = _Template(english, _pattern(english))
    return _TEMPLATES[english]


def _check(english: str, translation: str, where: str) -> None:
    """Refuse a translation that uses a placeholder its English template does not give."""
    extra = placeholders(translation) - placeholders(english)
    if extra:
        raise ValueError(f"{where}: {translation!r} uses {sorted(extra)}, which {english!r} lacks")


def _sort_patterns() -> None:
    with_names = [t for t in _TEMPLATES.values() if t.pattern is not None]
    with_names.sort(key=lambda t: len(PLACEHOLDER.sub("", t.english)), reverse=True)
    _PATTERNS[:] = with_names


def register_messages(domain: str, messages: Iterable[str]) -> None:
    """Add English templates (``N_``) that the ``domain`` catalog, else the shared one, translates.

    Each translation, in every supported language, is checked to use no placeholder its English
    template lacks.
    """
    for english in messages:
        template = _template(english)
        if domain not in template.domains:
            template.domains.append(domain)
        for language in SUPPORTED:
            if language != DEFAULT:
                _check(english, _catalog_text(template, language), f"{domain}/{language}")
    _sort_patterns()


def _catalog_text(template: _Template, language: str) -> str:
    """Return the catalog translation of ``template`` (its English when none translates it)."""
    domains = (*template.domains, SHARED_DOMAIN)
    return texts_for(language, *dict.fromkeys(domains)).gettext(template.english)


def _find(message: str) -> tuple[_Template, dict[str, str]] | None:
    """Return the template ``message`` was written from and the values of its placeholders."""
    exact = _TEMPLATES.get(message)
    if exact is not None and exact.pattern is None:
        return exact, {}
    for template in _PATTERNS:
        assert template.pattern is not None
        match = template.pattern.fullmatch(message)
        if match:
            return template, match.groupdict()
    return None


def translate(message: str, language: str) -> str:
    """Return ``message`` in ``language`` (as it is when English or when nothing translates it)."""
    if language == DEFAULT:
        return message
    found = _find(message)
    if found is None:
        return message
    template, values = found
    text = _catalog_text(template, language)
    if text == template.english:  # untranslated: the English as it was written
        return message
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], text)


def translate_errors(errors: Any, language: str) -> Any:
    """Return field errors (nested mappings and lists of messages) with each message translated."""
    if language == DEFAULT:
        return errors
    if isinstance(errors, str):
        return translate(errors, language)
    if isinstance(errors, Mapping):
        return {key: translate_errors(value, language) for key, value in errors.items()}
    if isinstance(errors, list | tuple):
        return [translate_errors(value, language) for value in errors]
    return errors


# marshmallow's default messages (fields and validators), then the shared library's own.
MARSHMALLOW_MESSAGES = [
    N_("Missing data for required field."),
    N_("Field may not be null."),
    N_("Invalid value."),
    N_("Invalid type."),
    N_("Invalid input type."),
    N_("Invalid input."),
    N_("Unknown field."),
    N_("Not a valid list."),
    N_("Not a valid tuple."),
    N_("Not a valid string."),
    N_("Not a valid utf-8 string."),
    N_("Not a valid UUID."),
    N_("Not a valid number."),
    N_("Number too large."),
    N_("Not a valid integer."),
    N_("Special numeric values (nan or infinity) are not permitted."),
    N_("Not a valid boolean."),
    N_("Not a valid datetime."),
    N_("Not a valid naive datetime."),
    N_("Not a valid aware datetime."),
    N_("Not a valid time."),
    N_("Not a valid date."),
    N_("Not a valid period of time."),
    N_("Not a valid mapping type."),
    N_("Not a valid URL."),
    N_("Not a valid email address."),
    N_("Not a valid IP address."),
    N_("Not a valid IPv4 address."),
    N_("Not a valid IPv6 address."),
    N_("Not a valid IP interface."),
    N_("Not a valid IPv4 interface."),
    N_("Not a valid IPv6 interface."),
    N_("{input!r} cannot be formatted as a timedelta."),
    N_("String does not match expected pattern."),
    N_("Length must be between {min} and {max}."),
    N_("Length must be {equal}."),
    N_("Longer than maximum length {max}."),
    N_("Shorter than minimum length {min}."),
    N_('"{input}" cannot be formatted as a {obj_type}.'),
    N_("Must be one of: {choices}."),
    N_("Must be equal to {other}."),
    N_("One or more of the choices you made was not in: {choices}."),
    N_("One or more of the choices you made was in: {values}."),
    # marshmallow's ``Range``, whose operators are filled in before ``{min}`` and ``{max}``
    N_("Must be greater than or equal to {min}."),
    N_("Must be greater than {min}."),
    N_("Must be less than or equal to {max}."),
    N_("Must be less than {max}."),
    N_("Must be greater than or equal to {min} and less than or equal to {max}."),
    N_("Must be greater than or equal to {min} and less than {max}."),
    N_("Must be greater than {min} and less than or equal to {max}."),
    N_("Must be greater than {min} and less than {max}."),
    # the shared library's own
    N_("Contains a control character ({code}) at position {at}."),
    N_("Contains an unpaired surrogate ({code}) at position {at}."),
    N_("Must be on one line (no line break)."),
    N_(
        "Too many writes from this caller: wait for Retry-After seconds; to send many answers, use "
        "POST /api/v1/assessment/assessments/{assessment_id}/bulk-answers"
    ),
    N_("at most {count} chars"),
    N_("use an Authorization: Bearer token"),
    N_("token keys unavailable"),
]

register_messages(SHARED_DOMAIN, MARSHMALLOW_MESSAGES)
