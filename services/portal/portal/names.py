"""People's names folded for finding them by the start of a name: accents, case and punctuation
aside (``"Hélène Lefèvre-Dupré"`` -> ``"helene lefevre dupre"``). Pure functions, no I/O."""

from __future__ import annotations

import re
import unicodedata

_NOT_LETTERS = re.compile(r"[^\w]+")


def folded(text: str) -> str:
    """Return ``text`` without accents or case, its words separated by one space."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return _NOT_LETTERS.sub(" ", plain).strip()
