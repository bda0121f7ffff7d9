"""The text rule for everything a client sends, and the way stored text is made safe to render.

A free-text value may not hold C0 or C1 control characters (tab is allowed everywhere; line
breaks only in fields marked multi-line) nor unpaired surrogates: PostgreSQL cannot store NUL,
spreadsheet and XML writers cannot hold most controls, and none of them is text a person typed.
:class:`InputSchema` applies the rule to every string field of a schema, so a service's schemas
inherit it instead of listing a validator per field; the OpenAPI document states it as a
``pattern`` (see :func:`documented_text_rule`).

Text stored before the rule, or arriving in an event from an older version, is made safe by
each renderer with :func:`printable` (and, in spreadsheets, ``FORMULA_START`` kept as text).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from marshmallow import Schema, ValidationError, fields, pre_load, validate

MULTILINE = "x-multiline"  # field metadata: line breaks allowed (and documented as such)

_CONTROLS = "\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f"
_SINGLE_LINE = re.compile(f"[{_CONTROLS}\\n\\r]")
_MULTI_LINE = re.compile(f"[{_CONTROLS}]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# One scan answers "is it clean?" (nearly always yes); the others only say what is wrong.
_UNSAFE_SINGLE_LINE = re.compile(f"[{_CONTROLS}\n\r\ud800-\udfff]")
_UNSAFE_MULTI_LINE = re.compile(f"[{_CONTROLS}\ud800-\udfff]")
# As JSON Schema (ECMA 262) patterns: no forbidden character anywhere from start to end.
SINGLE_LINE_PATTERN = f"^[^{_CONTROLS}\\n\\r]*$"
MULTI_LINE_PATTERN = f"^[^{_CONTROLS}]*$"

# A query string percent-encodes what it carries: a control character or a surrogate shows as
# one of these escapes (C1 controls are U+0080-U+009F, UTF-8 C2 80-C2 9F; surrogates ED A0-ED BF).
_ESCAPED_UNSAFE = re.compile("%(?:[01][0-9a-f]|7f|c2%[89][0-9a-f]|ed%[ab][0-9a-f])", re.IGNORECASE)

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet reads as a formula


def text_problem(value: str, *, multiline: bool = False) -> str | None:
    """Return why ``value`` breaks the text rule (English, translated later), or ``None``."""
    if (_UNSAFE_MULTI_LINE if multiline else _UNSAFE_SINGLE_LINE).search(value) is None:
        return None
    surrogate = _SURROGATE.search(value)
    if surrogate is not None:
        code, at = f"U+{ord(surrogate.group()):04X}", surrogate.start()
        return f"Contains an unpaired surrogate ({code}) at position {at}."
    found = (_MULTI_LINE if multiline else _SINGLE_LINE).search(value)
    if found is None:
        return None
    if found.group() in "\r\n":
        return "Must be on one line (no line break)."
    code, at = f"U+{ord(found.group()):04X}", found.start()
    return f"Contains a control character ({code}) at position {at}."


class PlainText(validate.Validator):
    """Validator refusing text that breaks the rule (for a string field outside an InputSchema)."""

    def __init__(self, *, multiline: bool = False) -> None:
        self.multiline = multiline

    def __call__(self, value: str) -> str:
        """Return ``value`` unchanged, or raise ``ValidationError`` saying what is wrong."""
        problem = text_problem(value, multiline=self.multiline)
        if problem is not None:
            raise ValidationError(problem)
        return value


def _is_multiline(field: fields.Field[Any]) -> bool:
    return bool(field.metadata.get(MULTILINE))


def _value_problems(field: fields.Field[Any], value: Any) -> Any:
    """Return the field errors ``value`` gives for ``field`` under the rule (``None``: none)."""
    if isinstance(field, fields.String) and isinstance(value, str):
        problem = text_problem(value, multiline=_is_multiline(field))
        return [problem] if problem else None
    if isinstance(field, fields.List) and isinstance(value, list):
        found = {i: p for i, item in enumerate(value) if (p := _value_problems(field.inner, item))}
        return found or None
    if isinstance(field, fields.Dict) and isinstance(value, Mapping):
        # Keys are names the service knows (languages, area keys), checked against that list by
        # the field's own validator or the use case; only the values are free text.
        inner = field.value_field
        found = {
            key: {"value": p}
            for key, item in value.items()
            if inner and (p := _value_problems(inner, item))
        }
        return found or None
    return None


class InputSchema(Schema):
    """Base of every schema a client's input goes through: its string fields obey the text rule.

    Nested schemas check their own fields (they inherit this class too); in a dict only the
    values are text (its keys are names checked against what the service knows); a field marked
    ``metadata={MULTILINE: True}`` may hold line breaks.
    """

    _text_fields: list[tuple[str, fields.Field[Any]]] | None = None

    def _fields_holding_text(self) -> list[tuple[str, fields.Field[Any]]]:
        # Worked out once per schema instance: a bulk body loads the same nested schema often.
        if self._text_fields is None:
            kinds = (fields.String, fields.List, fields.Dict)
            self._text_fields = [
                (field.data_key or name, field)
                for name, field in self.load_fields.items()
                if isinstance(field, kinds)
            ]
        return self._text_fields

    @pre_load
    def _refuse_unsafe_text(self, data: Any, **kwargs: Any) -> Any:
        if not isinstance(data, Mapping):
            return data
        errors: dict[str, Any] = {}
        for key, field in self._fields_holding_text():
            if key in data:
                found = _value_problems(field, data[key])
                if found:
                    errors[key] = found
        if errors:
            raise ValidationError(errors)
        return data


def documented_text_rule(converter: Any, field: Any, ret: dict[str, Any], **kwargs: Any) -> Any:
    """apispec attribute function: state the text rule as a ``pattern`` on each string field."""
    if not isinstance(field, fields.String) or "pattern" in ret or "format" in ret:
        return {}
    if "enum" in ret or field.parent is None or not isinstance(field.root, InputSchema):
        return {}
    return {"pattern": MULTI_LINE_PATTERN if _is_multiline(field) else SINGLE_LINE_PATTERN}


def unsafe_request_text(
    path: str, query_string: str, args: Mapping[str, Any]
) -> tuple[bool, dict[str, list[str]]]:
    """Return whether ``path`` breaks the rule, and the query parameters that do with why.

    Meant for every request: the query is parsed only when its raw text shows an escape of a
    forbidden character, so a clean request costs two regular-expression scans.
    """
    bad_path = text_problem(path) is not None
    if not _ESCAPED_UNSAFE.search(query_string) and text_problem(query_string) is None:
        return bad_path, {}
    return bad_path, unsafe_fields(args)


def unsafe_fields(values: Mapping[str, Any], *, multiline: bool = False) -> dict[str, list[str]]:
    """Return each name of ``values`` (a form or query, repeated names too) holding bad text."""
    getlist = getattr(values, "getlist", None)
    found: dict[str, list[str]] = {}
    for name in values:
        items = getlist(name) if getlist else [values[name]]
        problems = [p for item in items if (p := text_problem(str(item), multiline=multiline))]
        name_problem = text_problem(str(name))
        if name_problem:
            found[repr(name)] = [name_problem]
        elif problems:
            found[name] = problems
    return found


def printable(value: str, *, multiline: bool = True) -> str:
    """Return ``value`` without what the rule forbids (stored text made safe for any format)."""
    value = _SURROGATE.sub("\ufffd", value)
    if not multiline:
        value = re.sub("[\r\n]+", " ", value)
    return _MULTI_LINE.sub("", value)
