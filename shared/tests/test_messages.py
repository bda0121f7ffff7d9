"""Refusal messages in the reader's language: marshmallow's, the platform's, a service's catalog."""

import importlib
import inspect
import itertools
from pathlib import Path

import pytest
from marshmallow import fields, validate

from shared.messages import register_messages, translate, translate_errors

_PO_HEADER = """msgid ""
msgstr ""
"Language: {language}\\n"
"Content-Type: text/plain; charset=utf-8\\n"

"""
_PROBES = itertools.count()


@pytest.fixture
def probe_domain(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Return a function making a package whose catalogs hold the given entries (a new domain)."""

    def make(entries: dict[str, dict[str, str]]) -> str:
        domain = f"probe_messages_{next(_PROBES)}"
        package = tmp_path / domain
        for language, texts in entries.items():
            folder = package / "translations" / language / "LC_MESSAGES"
            folder.mkdir(parents=True)
            body = "".join(
                f'msgid "{english}"\nmsgstr "{text}"\n\n' for english, text in texts.items()
            )
            (folder / "messages.po").write_text(
                _PO_HEADER.format(language=language) + body, encoding="utf-8"
            )
        (package / "__init__.py").write_text("", encoding="utf-8")
        monkeypatch.syspath_prepend(str(tmp_path))
        importlib.invalidate_caches()
        return domain

    return make


def test_english_is_returned_unchanged():
    assert translate("Not a valid integer.", "en") == "Not a valid integer."


def test_a_message_without_placeholders_is_looked_up_in_french_and_portuguese():
    assert translate("Missing data for required field.", "fr") == "Champ obligatoire manquant."
    assert translate("Missing data for required field.", "pt") == "Campo obrigatório em falta."


def test_placeholders_carry_the_values_into_french_and_portuguese():
    assert (
        translate("Length must be between 1 and 200.", "fr")
        == "La longueur doit être comprise entre 1 et 200."
    )
    assert (
        translate("Length must be between 1 and 200.", "pt")
        == "O comprimento deve estar entre 1 e 200."
    )
    assert (
        translate("Must be one of: low, medium, high.", "pt")
        == "Deve ser um dos valores: low, medium, high."
    )
    assert translate("'3 days' cannot be formatted as a timedelta.", "fr") == (
        "'3 days' n'est pas une durée."
    )


def test_the_most_specific_template_wins():
    # "Must be greater than or equal to {min}." matches too, with min = "1 and less than ..."
    message = "Must be greater than or equal to 1 and less than or equal to 5."
    assert translate(message, "fr") == "Doit être supérieur ou égal à 1 et inférieur ou égal à 5."
    assert translate(message, "pt") == "Deve ser maior ou igual a 1 e menor ou igual a 5."


def test_a_service_template_is_translated_by_its_catalog_with_the_values(probe_domain):
    domain = probe_domain(
        {
            "fr": {"probe {n}": "sonde {n}", "probe {n} items of {kind}": "{kind} : {n} éléments"},
            "pt": {"probe {n}": "sonda {n}", "probe {n} items of {kind}": "{kind}: {n} itens"},
        }
    )
    register_messages(domain, ["probe {n}", "probe {n} items of {kind}"])
    assert translate("probe 3 items of box", "fr") == "box : 3 éléments"
    assert translate("probe 3 items of box", "pt") == "box: 3 itens"
    assert translate("probe 3", "pt") == "sonda 3"


def test_a_service_template_its_catalog_lacks_is_translated_by_the_shared_catalog(probe_domain):
    domain = probe_domain({"fr": {"something else": "autre chose"}})
    register_messages(domain, ["Not a valid UUID."])
    assert translate("Not a valid UUID.", "fr") == "Ce n'est pas un UUID valide."


def test_a_language_the_catalog_leaves_untranslated_gets_the_english(probe_domain):
    domain = probe_domain(
        {"fr": {"probe seen {n} times": "sonde vue {n} fois"}, "pt": {"probe seen {n} times": ""}}
    )
    register_messages(domain, ["probe seen {n} times"])
    assert translate("probe seen 4 times", "fr") == "sonde vue 4 fois"
    assert translate("probe seen 4 times", "pt") == "probe seen 4 times"
    assert translate("probe seen 4 times", "es") == "probe seen 4 times"  # no catalog at all


def test_an_unknown_message_stays_as_it_is():
    assert translate("something nobody wrote down", "fr") == "something nobody wrote down"
    assert translate("something nobody wrote down", "pt") == "something nobody wrote down"


def test_nested_field_errors_are_translated_message_by_message():
    errors = {"answers": {"0": {"value": ["Not a valid integer."]}}, "x": ["Unknown field."]}
    assert translate_errors(errors, "fr") == {
        "answers": {"0": {"value": ["Ce n'est pas un nombre entier valide."]}},
        "x": ["Champ inconnu."],
    }
    assert translate_errors(errors, "pt") == {
        "answers": {"0": {"value": ["Não é um número inteiro válido."]}},
        "x": ["Campo desconhecido."],
    }


def test_a_catalog_translation_cannot_invent_a_placeholder(probe_domain):
    domain = probe_domain({"pt": {"probe at most {n}": "sonda no máximo {m}"}})
    with pytest.raises(ValueError, match=r"uses \['m'\]"):
        register_messages(domain, ["probe at most {n}"])


def _marshmallow_messages():
    samples = {"min": 1, "max": 5, "equal": 3, "choices": "a, b", "values": "a", "other": "x"}
    samples.update(input="zz", obj_type="datetime", awareness="naive")
    for module in (fields, validate):
        for _, cls in inspect.getmembers(module, inspect.isclass):
            for base in cls.__mro__:
                for message in (getattr(base, "default_error_messages", None) or {}).values():
                    yield message.format(**samples)
    for low in ("greater than", "greater than or equal to"):
        yield validate.Range.message_min.format(min_op=low).format(min=1)
        yield validate.Range.message_max.format(max_op=low.replace("greater", "less")).format(max=5)
        for high in ("less than", "less than or equal to"):
            yield validate.Range.message_all.format(min_op=low, max_op=high).format(min=1, max=5)


@pytest.mark.parametrize("language", ["fr", "pt"])
def test_every_marshmallow_default_message_is_translated(language):
    missing = {m for m in _marshmallow_messages() if translate(m, language) == m}
    # webargs' delimited lists are not used by the platform
    assert missing <= {"Not a valid delimited list.", "Not a valid delimited tuple."}, missing
