"""The text rule: what a client may send as text, and how stored text is made safe to render."""

import re

import pytest
from marshmallow import Schema, ValidationError, fields
from werkzeug.datastructures import MultiDict

from shared.messages import translate_errors
from shared.text import (
    MULTI_LINE_PATTERN,
    MULTILINE,
    SINGLE_LINE_PATTERN,
    InputSchema,
    PlainText,
    printable,
    text_problem,
    unsafe_fields,
    unsafe_request_text,
)

FORBIDDEN = ["\x00", "\x08", "\x0b", "\x0c", "\x15", "\x1b", "\x7f", "\x85", "\x9f", "\ud800"]


class _Note(InputSchema):
    title = fields.String()
    body = fields.String(metadata={MULTILINE: True})
    tags = fields.List(fields.String())
    labels = fields.Dict(keys=fields.String(), values=fields.String())


class _Outer(InputSchema):
    note = fields.Nested(_Note)


@pytest.mark.parametrize("char", FORBIDDEN)
def test_every_forbidden_class_is_refused_in_any_field(char):
    assert text_problem(f"a{char}b") is not None
    assert text_problem(f"a{char}b", multiline=True) is not None


def test_tab_everywhere_and_line_breaks_only_in_multiline_fields():
    assert text_problem("a\tb") is None
    assert text_problem("Écrire «\u00a0bien\u00a0» 🚢") is None
    assert text_problem("one\ntwo") == "Must be on one line (no line break)."
    assert text_problem("one\r\ntwo", multiline=True) is None


def test_the_message_names_the_character_and_its_position_in_both_languages():
    problem = text_problem("Titre\x15")
    assert problem == "Contains a control character (U+0015) at position 5."
    (french,) = translate_errors({"title": [problem]}, "fr")["title"]
    assert french == "Contient un caractère de contrôle (U+0015) à la position 5."
    surrogate = text_problem("x\udc00")
    assert "U+DC00" in surrogate
    assert "isolé" in translate_errors([surrogate], "fr")[0]
    assert translate_errors(["Must be on one line (no line break)."], "fr") == [
        "Doit tenir sur une ligne (sans saut de ligne)."
    ]


def test_an_input_schema_names_each_bad_field_nested_listed_or_keyed():
    with pytest.raises(ValidationError) as raised:
        _Outer().load(
            {
                "note": {
                    "title": "a\nb",
                    "body": "fine\nlines",
                    "tags": ["ok", "b\x00d"],
                    "labels": {"en": "e\x08", "fr": "ok"},
                }
            }
        )
    errors = raised.value.messages["note"]
    assert set(errors) == {"title", "tags", "labels"}
    assert list(errors["tags"]) == [1]
    assert set(errors["labels"]) == {"en"}
    assert set(errors["labels"]["en"]) == {"value"}


def test_clean_input_loads_unchanged_and_plain_schemas_are_not_checked():
    data = {"note": {"title": "Stratégie IA", "body": "l1\r\nl2", "tags": ["x"], "labels": {}}}
    assert _Outer().load(data) == data

    class Plain(Schema):
        title = fields.String()

    assert Plain().load({"title": "a\x00"}) == {"title": "a\x00"}


def test_the_validator_refuses_like_the_schema():
    with pytest.raises(ValidationError):
        PlainText()("a\x1f")
    assert PlainText(multiline=True)("a\nb") == "a\nb"


def test_the_documented_patterns_mean_what_the_check_does():
    samples = ["plain", "tab\there", "line\nbreak", "cr\rhere", *(f"x{c}" for c in FORBIDDEN[:-1])]
    for sample in samples:
        assert (re.search(SINGLE_LINE_PATTERN, sample) is not None and "\n" not in sample) == (
            text_problem(sample) is None
        ), sample
        assert (re.search(MULTI_LINE_PATTERN, sample) is not None) == (
            text_problem(sample, multiline=True) is None
        ), sample


def test_a_request_with_a_forbidden_character_in_its_path_or_query_is_found():
    assert unsafe_request_text("/api/v1/x/items/a\x00", "", {}) == (True, {})
    assert unsafe_request_text("/api/v1/x/items", "q=caf%C3%A9&page=2", {}) == (False, {})
    args = MultiDict([("q", "ok"), ("q", "a\x00b"), ("lang", "fr")])
    bad_path, bad_args = unsafe_request_text("/api/v1/x", "q=ok&q=a%00b&lang=fr", args)
    assert not bad_path
    assert list(bad_args) == ["q"]
    c1 = MultiDict([("q", "a\x85")])
    assert unsafe_request_text("/x", "q=a%C2%85", c1)[1] == {
        "q": ["Contains a control character (U+0085) at position 1."]
    }


def test_stored_text_is_made_printable():
    dirty = "Ti\x15tle\x00 \ud800end\nnext"
    assert printable(dirty) == "Title \ufffdend\nnext"
    assert printable(dirty, multiline=False) == "Title \ufffdend next"
    assert text_problem(printable(dirty), multiline=True) is None


def test_form_fields_may_hold_line_breaks_but_no_control_character():
    form = MultiDict([("comment", "l1\r\nl2"), ("title", "ok"), ("title", "b\x0bd")])
    assert unsafe_fields(form, multiline=True) == {
        "title": ["Contains a control character (U+000B) at position 1."]
    }
