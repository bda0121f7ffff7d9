"""Reading uploaded answer files (XLSX workbook, CSV, JSON) as a stream of raw answers.

``open_answers`` refuses a whole file with ``FileProblem`` (most file problems are found before
it returns; a CSV or JSON file whose syntax breaks further on raises it from the iterator) and
otherwise returns what the file says about itself with an iterator of ``RawAnswer`` (one per
answered row, values as written) and ``RowProblem`` (a value that could not be read). Memory
stays flat whatever the number of rows: CSV is read record by record, JSON parsed as a stream
of events, and a workbook holds one respondent's few hundred rows. Nothing is evaluated: a
formula's cached value is read, a text starting with "=" is data. The importer validates the
values (``map_answer``, ``map_confidence`` and its own checks).
"""

from __future__ import annotations

import codecs
import csv
import math
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from assessment.bulk.reading_csv import count_csv, open_csv
from assessment.bulk.reading_json import open_json
from assessment.bulk.reading_types import (
    DEFAULT_LIMITS,
    FileFacts,
    FileProblem,
    Limits,
    RawAnswer,
    RowProblem,
    Where,
)
from assessment.bulk.reading_xlsx import open_xlsx
from assessment.bulk.workbook import ANSWER_WORDS, CONFIDENCE_LABELS
from assessment.framework import Framework
from assessment.scoring import DONT_KNOW, NOT_APPLICABLE

__all__ = [
    "DEFAULT_LIMITS",
    "FileFacts",
    "FileProblem",
    "Limits",
    "RawAnswer",
    "RowProblem",
    "Where",
    "count_rows",
    "detect_format",
    "map_answer",
    "map_confidence",
    "open_answers",
]

FrameworkLookup = Callable[[str, str], Framework | None]
_HEAD = 4096
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls, or an encrypted .xlsx
_WORKBOOK_SUFFIXES = ("xlsx", "xlsm", "xltx", "xltm", "xls")
_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")
# What may follow the number of a label: a space, a dash, a colon ("3 \u2013 Operational").
_AFTER_NUMBER = frozenset(" \t\u00a0\u2013\u2014-:).")


def detect_format(head: bytes, name: str) -> str:
    """Return "xlsx", "csv" or "json" for a file from its first bytes (and its name's suffix)."""
    if head.startswith(_ZIP) or head.startswith(_OLE):
        return "xlsx"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "csv"
    if head.removeprefix(codecs.BOM_UTF8).lstrip()[:1] in (b"{", b"["):
        return "json"
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix in _WORKBOOK_SUFFIXES or b"\x00" in head:
        return "xlsx"  # binary or named as a workbook: refused as not a readable workbook
    return "json" if suffix == "json" else "csv"


def open_answers(
    path: Path,
    *,
    name: str,
    framework_lookup: FrameworkLookup,
    secret: bytes,
    limits: Limits = DEFAULT_LIMITS,
) -> tuple[FileFacts, Iterator[RawAnswer | RowProblem]]:
    """Return what the file says about itself and its answers, or raise ``FileProblem``."""
    # framework_lookup is not needed to read: the readers stay framework-agnostic (indicators
    # and levels are judged by the importer, which knows the assessment's framework version).
    del framework_lookup
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise FileProblem("file_too_large")
    if size == 0:
        raise FileProblem("empty_file")
    with path.open("rb") as raw:
        head = raw.read(_HEAD)
    kind = detect_format(head, name)
    if kind == "xlsx":
        return open_xlsx(path, name=name, secret=secret, limits=limits)
    if kind == "json":
        return open_json(path, name=name)
    return open_csv(path, name=name)


def count_rows(
    path: Path,
    *,
    name: str,
    framework_lookup: FrameworkLookup,
    secret: bytes,
    limits: Limits = DEFAULT_LIMITS,
) -> int:
    """Return how many items ``open_answers`` yields for the file (for progress totals)."""
    if path.stat().st_size and _is_csv(path, name):
        try:
            return count_csv(path)
        except (FileProblem, csv.Error, UnicodeDecodeError):
            return 0  # the import itself reports why the file cannot be read
    _, items = open_answers(
        path, name=name, framework_lookup=framework_lookup, secret=secret, limits=limits
    )
    return sum(1 for _ in items)


def _is_csv(path: Path, name: str) -> bool:
    with path.open("rb") as raw:
        return detect_format(raw.read(_HEAD), name) == "csv"


def _normal(text: str) -> str:
    """Return ``text`` as compared: no accents, case folded, one space between words."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = plain.replace("\u2019", "'").replace("\u2018", "'").replace("_", " ")
    return " ".join(plain.casefold().split())


_ANSWER_OF = (
    {
        _normal(written): key
        for key, names in ANSWER_WORDS.items()
        for written in (key, *names.values())
    }
    | {
        _normal(written): DONT_KNOW
        for written in ("do not know", "dont know", "ne sais pas", "ne sait pas", "nsp")
    }
    | {
        _normal(written): NOT_APPLICABLE
        for written in ("n/a", "na", "non applicable", "s/o", "s.o.", "without object")
    }
)
_CONFIDENCE_OF = {
    _normal(written): key
    for position, key in enumerate(CONFIDENCE_LABELS["en"])
    for written in (key, *(labels[position] for labels in CONFIDENCE_LABELS.values()))
} | {
    _normal(written): key
    for key, synonyms in (
        ("low", ("basse", "bas", "faible")),
        ("medium", ("moyen", "moyenne", "average")),
        ("high", ("eleve", "haute", "haut", "forte", "fort")),
    )
    for written in synonyms
}


def map_answer(
    value: str | int | float | None, *, level_names: Mapping[int, Mapping[str, str]] | None = None
) -> str | None:
    """Return the stored answer ("1".."5", "dont_know", "not_applicable") or None if empty.

    Numbers, labels ("3 - Operational" with any dash, "3", " 3 ", 3.0) and the words in
    English or French are understood; with ``level_names`` a level's name alone is too. Raise
    ``ValueError("level_out_of_range")`` for a number that is not a level 1-5 and
    ``ValueError("level_not_a_number")`` for anything else.
    """
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError("level_not_a_number")
    if not isinstance(value, str):
        return _level(float(value))
    text = value.strip()
    if not text:
        return None
    word = _normal(text)
    if word in _ANSWER_OF:
        return _ANSWER_OF[word]
    number = _NUMBER.match(text)
    if number is not None and (number.end() == len(text) or text[number.end()] in _AFTER_NUMBER):
        return _level(float(number.group().replace(",", ".")))
    for level, names in (level_names or {}).items():
        if word in {_normal(name) for name in names.values()}:
            return _level(float(level))
    raise ValueError("level_not_a_number")


def _level(number: float) -> str:
    if math.isnan(number):
        raise ValueError("level_not_a_number")
    if not 1 <= number <= 5 or not number.is_integer():
        raise ValueError("level_out_of_range")
    return str(int(number))


def map_confidence(value: str | None) -> str | None:
    """Return "low", "medium" or "high" for a key or label in English or French (None: empty).

    Raise ``ValueError("bad_confidence")`` for anything else.
    """
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("bad_confidence")
    word = _normal(value)
    if not word:
        return None
    if word not in _CONFIDENCE_OF:
        raise ValueError("bad_confidence")
    return _CONFIDENCE_OF[word]
