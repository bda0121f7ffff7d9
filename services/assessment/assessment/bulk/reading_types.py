"""What the readers of answer files produce (shared by every format; see ``bulk.reading``)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from assessment.bulk.problems import message


# Where and RawAnswer are made once per row of files of up to 500,000 rows: slots without
# frozen, as a frozen dataclass's __init__ costs a setattr call per field.
@dataclass(slots=True)
class Where:
    """Where a value sits, for the error report."""

    file: str  # upload file name
    sheet: str  # "" for CSV/JSON
    row: int  # 1-based row (CSV: record incl. header; JSON: respondent index + 1)
    column: str  # "J" / "answer" / "respondents[3].answers[7].answer"


@dataclass(slots=True)
class RawAnswer:
    """A value as written, not yet validated (labels not yet mapped)."""

    respondent: str  # stripped; "" when absent
    indicator: str
    answer: str | int | float | None
    confidence: str | None
    evidence: str
    comment: str
    assessment: str | None  # CSV column / JSON per respondent (or top level) / workbook meta
    where: Where  # the location of the answer cell
    columns: Mapping[str, str]  # field -> column name or letter, for errors on other fields


@dataclass(frozen=True, slots=True)
class FileFacts:
    """What a file says about itself (checked by the importer)."""

    format: str  # "xlsx" | "csv" | "json"
    framework_key: str | None
    framework_version: str | None
    language: str | None  # the workbook's language (messages in the file's language)
    assessment_id: str | None


class FileProblem(Exception):
    """The whole file is refused; ``code`` is one of ``bulk.problems``."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params
        self.language: str | None = None  # the refused workbook's own language, if it says

    def message(self, language: str) -> str:
        """Return the problem in words, in ``language``."""
        return message(self.code, language, **self.params)


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One value refused while reading or validating, with where it is."""

    where: Where
    code: str
    params: Mapping[str, Any]

    def message(self, language: str) -> str:
        """Return the problem in words, in ``language``."""
        return message(self.code, language, **self.params)


@dataclass(frozen=True)
class Limits:
    """How large an upload may be, and how far a workbook may expand."""

    max_bytes: int = 32 * 1024 * 1024  # the upload size (also checked while it streams in)
    max_uncompressed: int = 256 * 1024 * 1024  # a workbook's total uncompressed size
    max_ratio: int = 200  # the compression ratio of one workbook entry
    max_entries: int = 2000  # the entries of a workbook


DEFAULT_LIMITS = Limits()


def cell_text(value: object) -> str:
    """Return a cell or field value as stripped text ("" for nothing)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a respondent id typed as a number reads 1234, not 1234.0
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value).strip()


def is_blank(*values: object) -> bool:
    """Return whether none of ``values`` holds anything (None or blank text)."""
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)
