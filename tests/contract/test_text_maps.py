"""Interface texts live in gettext catalogs (ADR 0008): no module holds ``{"en": ..., "fr": ...}``
text maps any more.

A module may not start holding one (mark its texts with ``gettext``/``N_`` and put them in its
service's catalog, see the README's "Languages"). The only dicts keyed by language left are not
interface texts; each is listed with its reason, and leaves the list once it no longer holds one.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

NOT_INTERFACE_TEXT = {
    "services/portal/portal/catalogue/search_postgres.py": (
        "each content language's PostgreSQL text-search configuration ('english', 'french')"
    ),
}


def _modules() -> list[Path]:
    found = [*ROOT.glob("shared/shared/**/*.py"), *ROOT.glob("services/*/*/**/*.py")]
    return [
        path
        for path in found
        if "tests" not in path.relative_to(ROOT).parts
        and "migrations" not in path.relative_to(ROOT).parts
    ]


def _holds_text_map(path: Path) -> bool:
    """Return whether ``path`` has a dict literal keyed by both "en" and "fr"."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Dict):
            keys = {key.value for key in node.keys if isinstance(key, ast.Constant)}
            if {"en", "fr"} <= keys:
                return True
    return False


def test_the_detector_finds_a_text_map_and_ignores_other_dicts(tmp_path):
    module = tmp_path / "texts.py"
    module.write_text('T = {"k": {"en": "Hello", "fr": "Bonjour"}}\n')
    assert _holds_text_map(module)
    module.write_text('LOCALES = {"en": "en_GB", "pt": "pt_PT"}\nT = {"k": N_("Hello")}\n')
    assert not _holds_text_map(module)


def test_no_module_holds_interface_texts_in_language_dicts():
    holding = {path.relative_to(ROOT).as_posix() for path in _modules() if _holds_text_map(path)}
    new = sorted(holding - set(NOT_INTERFACE_TEXT))
    assert new == [], f"texts in language dicts: move them to the catalogs (ADR 0008): {new}"
    gone = sorted(set(NOT_INTERFACE_TEXT) - holding)
    assert gone == [], f"no language dict left: take them off NOT_INTERFACE_TEXT: {gone}"
