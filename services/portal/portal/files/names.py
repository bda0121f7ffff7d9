"""File names as members send them, made safe to store and to send back in Content-Disposition.

A name keeps its letters (accents included) but loses any folder part, control and format
characters, characters that file systems or headers treat specially, and excess length; its
extension is the one of the type found in the content, so a name never claims another type.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

MAX_LENGTH = 120
FALLBACK = "file"
_SPECIAL = re.compile(r'[<>:"|?*\\/;]')
_SPACES = re.compile(r"\s+")
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,5}$")


def sanitize(name: str, *, extension: str | None = None, max_length: int = MAX_LENGTH) -> str:
    """Return ``name`` without folders, control characters or excess length, ending in
    ``.extension`` when one is given (the type found in the content)."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = _SPACES.sub(" ", unicodedata.normalize("NFC", base))  # tabs, newlines: one space
    base = "".join(c for c in base if not unicodedata.category(c).startswith("C"))
    base = _SPACES.sub(" ", _SPECIAL.sub("_", base)).strip(" .")
    found = _EXTENSION.search(base)
    stem = base[: found.start()] if found else base
    suffix = f".{extension}" if extension is not None else (found.group() if found else "")
    stem = stem.strip(" .")[: max(1, max_length - len(suffix))].rstrip(" .")
    return (stem or FALLBACK) + suffix


def ascii_fallback(name: str) -> str:
    """Return ``name`` in ASCII for old clients (accents dropped, other letters as ``_``)."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c if 32 <= ord(c) < 127 and c not in '"\\%' else "_" for c in plain)


def content_disposition(name: str, *, inline: bool = False) -> str:
    """Return the Content-Disposition header: an ASCII ``filename`` and the exact UTF-8
    ``filename*`` (RFC 6266 / RFC 8187) of the already sanitized ``name``."""
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_fallback(name)}\"; filename*=UTF-8''{quote(name, safe='')}"
