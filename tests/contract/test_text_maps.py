"""Interface texts move to gettext catalogs (ADR 0008): the modules still holding ``{"en": ...,
"fr": ...}`` text maps are listed here, and the list may only shrink.

A module not listed may not start holding one (mark its texts with ``gettext``/``N_`` and put
them in its service's catalog, see the README's "Languages"); a listed module that no longer holds
any must leave the list, so that it cannot come back unnoticed.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

STILL_WITH_TEXT_MAPS = {
    "services/portal/portal/catalogue/search.py",
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


def test_no_new_module_holds_a_text_map_and_the_list_only_shrinks():
    holding = {path.relative_to(ROOT).as_posix() for path in _modules() if _holds_text_map(path)}
    new = sorted(holding - STILL_WITH_TEXT_MAPS)
    assert new == [], f"texts in language dicts: move them to the catalogs (ADR 0008): {new}"
    # (a listed module not in the tree yet, still being written, is not "gone")
    gone = sorted(m for m in STILL_WITH_TEXT_MAPS - holding if (ROOT / m).exists())
    assert gone == [], f"no text map left in these: remove them from STILL_WITH_TEXT_MAPS: {gone}"
