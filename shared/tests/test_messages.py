"""French versions of refusal messages: marshmallow's, the platform's, a service's."""

import inspect

import pytest
from marshmallow import fields, validate

from shared.messages import register_translations, translate, translate_errors


def test_english_is_returned_unchanged():
    assert translate("Not a valid integer.", "en") == "Not a valid integer."


def test_a_message_without_placeholders_is_looked_up():
    assert translate("Missing data for required field.", "fr") == "Champ obligatoire manquant."


def test_placeholders_carry_the_values_into_french():
    assert (
        translate("Length must be between 1 and 200.", "fr")
        == "La longueur doit être comprise entre 1 et 200."
    )
    assert (
        translate("Must be greater than or equal to 1 and less than or equal to 5.", "fr")
        == "Doit être supérieur ou égal à 1 et inférieur ou égal à 5."
    )
    assert (
        translate("Must be one of: low, medium, high.", "fr")
        == "Doit être l'une des valeurs : low, medium, high."
    )


def test_the_most_specific_template_wins():
    register_translations({"probe {n}": "sonde {n}", "probe {n} items": "sonde de {n} éléments"})
    assert translate("probe 3 items", "fr") == "sonde de 3 éléments"
    assert translate("probe 3", "fr") == "sonde 3"


def test_an_unknown_message_stays_as_it_is():
    assert translate("something nobody wrote down", "fr") == "something nobody wrote down"


def test_nested_field_errors_are_translated_message_by_message():
    errors = {"answers": {"0": {"value": ["Not a valid integer."]}}, "x": ["Unknown field."]}
    assert translate_errors(errors, "fr") == {
        "answers": {"0": {"value": ["Ce n'est pas un nombre entier valide."]}},
        "x": ["Champ inconnu."],
    }


def test_a_french_version_cannot_invent_a_placeholder():
    with pytest.raises(ValueError, match="does not give"):
        register_translations({"at most {n}": "au plus {m}"})


def _marshmallow_messages():
    samples = {"min": 1, "max": 5, "equal": 3, "choices": "a, b", "values": "a", "other": "x"}
    samples.update(input="zz", obj_type="datetime", awareness="naive")
    for module in (fields, validate):
        for _, cls in inspect.getmembers(module, inspect.isclass):
            for base in cls.__mro__:
                for message in (getattr(base, "default_error_messages", None) or {}).values():
                    yield message.format(**samples)
    for cls in (validate.Range,):
        for low in ("greater than", "greater than or equal to"):
            for high in ("less than", "less than or equal to"):
                yield cls.message_all.format(min_op=low, max_op=high).format(min=1, max=5)


def test_every_marshmallow_default_message_has_a_french_version():
    missing = {m for m in _marshmallow_messages() if translate(m, "fr") == m}
    # webargs' delimited lists are not used by the platform
    assert missing <= {"Not a valid delimited list.", "Not a valid delimited tuple."}, missing
