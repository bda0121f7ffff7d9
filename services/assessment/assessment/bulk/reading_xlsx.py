"""Reading an answer workbook (.xlsx): archive checks, the checked layout, one row per answer.

A workbook holds one respondent's answers (a few hundred rows at most, as its ``_meta`` sheet
lists them), so its rows are read in full before the first is handed out: every file-level
problem (checksum, missing sheet, edited hidden key) is raised by ``open_xlsx`` itself.
Empty area sheets, or rows whose hidden key differs from the layout, are ``tampered_workbook``:
the sheets are protected, so only someone who removed the protection gets there.
"""

from __future__ import annotations

import hmac
import json
import struct
import warnings
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl

from assessment.bulk.reading_types import (
    FileFacts,
    FileProblem,
    Limits,
    RawAnswer,
    RowProblem,
    Where,
    cell_text,
    is_blank,
)
from assessment.bulk.workbook import COLUMNS, LAST_COLUMN, LAYOUT, META_SHEET, layout_checksum

_RATIO_FLOOR = 1024 * 1024  # below this, a high ratio cannot amount to a bomb
_ENTRY_BYTES = 1024  # room for one entry of the central directory (46 bytes and its name)
_EOCD_SEARCH = 22 + 65535  # the end record, and the longest comment that may follow it
_FIELDS = ("answer", "confidence", "evidence", "comment")
_INDEX = {field: ord(COLUMNS[field]) - ord("A") for field in (*_FIELDS, "key")}
_META_TEXT = ("framework_key", "framework_version", "language", "assessment_id")


def check_archive(path: Path, limits: Limits) -> None:
    """Refuse a file that is not a workbook archive, or expands too far, before parsing it."""
    directory = central_directory_size(path)
    if directory is not None and directory > limits.max_entries * _ENTRY_BYTES:
        raise FileProblem("archive_too_large")  # before zipfile lists every entry in memory
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise FileProblem("not_a_workbook") from exc
    if len(entries) > limits.max_entries:
        raise FileProblem("archive_too_large")
    total = 0
    for entry in entries:
        total += entry.file_size
        ratio_limit = limits.max_ratio * max(entry.compress_size, 1)
        if entry.file_size > _RATIO_FLOOR and entry.file_size > ratio_limit:
            raise FileProblem("archive_too_large")
    if total > limits.max_uncompressed:
        raise FileProblem("archive_too_large")
    names = {entry.filename for entry in entries}
    if "xl/workbook.xml" not in names or any(entry.flag_bits & 0x1 for entry in entries):
        raise FileProblem("not_a_workbook")  # not a workbook, or an encrypted archive


def central_directory_size(path: Path) -> int | None:
    """Return the size the archive declares for its list of entries (None: not found)."""
    # zipfile reads exactly that many bytes and makes an object of every entry in them.
    with path.open("rb") as raw:
        size = raw.seek(0, 2)
        start = max(0, size - _EOCD_SEARCH)
        raw.seek(start)
        tail = raw.read()
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or len(tail) < at + 22:
            return None
        directory: int = struct.unpack_from("<I", tail, at + 12)[0]
        if directory != 0xFFFFFFFF or at < 20 or tail[at - 20 : at - 16] != b"PK\x06\x07":
            return directory
        raw.seek(struct.unpack_from("<Q", tail, at - 12)[0])  # the Zip64 end record
        record = raw.read(56)
        if len(record) < 56 or not record.startswith(b"PK\x06\x06"):
            return None
        zip64: int = struct.unpack_from("<Q", record, 40)[0]
        return zip64


def open_xlsx(
    path: Path, *, name: str, secret: bytes, limits: Limits
) -> tuple[FileFacts, Iterator[RawAnswer | RowProblem]]:
    """Return what the workbook says about itself and its answers (read in full, see above)."""
    check_archive(path, limits)
    values = _load(path, data_only=True)
    try:
        # A second view of the same file tells formulas apart: with cached values only, a
        # formula never computed (written by a library, not a spreadsheet) reads as empty.
        formulas = _load(path, data_only=False)
        meta: dict[str, Any] = {}
        try:
            meta = _meta(values, secret)
            items = _read(values, formulas, meta, name)
        except FileProblem as refused:
            refused.language = meta.get("language")  # said in the workbook's language
            raise
        finally:
            formulas.close()
    except FileProblem:
        raise
    except Exception as exc:  # openpyxl raises anything from KeyError to XML errors
        raise FileProblem("not_a_workbook") from exc
    finally:
        values.close()
    facts = FileFacts(
        format="xlsx",
        framework_key=meta["framework_key"],
        framework_version=meta["framework_version"],
        language=meta["language"],
        assessment_id=meta["assessment_id"] or None,
    )
    return facts, iter(items)


def _load(path: Path, *, data_only: bool) -> Any:
    try:
        with warnings.catch_warnings():
            # Workbooks saved by spreadsheets carry extensions openpyxl warns it ignores.
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(path, read_only=True, data_only=data_only)
    except Exception as exc:  # a broken archive member, bad XML, a missing part
        raise FileProblem("not_a_workbook") from exc


def _meta(book: Any, secret: bytes) -> dict[str, Any]:
    if META_SHEET not in book.sheetnames:
        raise FileProblem("not_our_workbook")
    meta: dict[str, Any] = {}
    for key, value in book[META_SHEET].iter_rows(min_col=1, max_col=2, values_only=True):
        if key is None and value is None:
            continue
        if not isinstance(key, str) or not isinstance(value, str):
            raise FileProblem("not_our_workbook")
        try:
            meta[key] = json.loads(value)
        except ValueError as exc:
            raise FileProblem("not_our_workbook") from exc
    if meta.get("layout") != LAYOUT:
        raise FileProblem("not_our_workbook")
    checksum = meta.get("checksum")
    expected = layout_checksum(meta, secret)
    if not isinstance(checksum, str) or not hmac.compare_digest(checksum, expected):
        raise FileProblem("tampered_workbook")
    if not _well_formed(meta):
        raise FileProblem("not_our_workbook")  # signed by us, yet not a layout we write
    return meta


def _well_formed(meta: Mapping[str, Any]) -> bool:
    if not all(isinstance(meta.get(key), str) for key in (*_META_TEXT, "respondent_cell")):
        return False
    sheets = meta.get("sheets")
    if "!" not in meta["respondent_cell"] or not isinstance(sheets, list):
        return False
    return all(
        isinstance(sheet, dict)
        and isinstance(sheet.get("title"), str)
        and isinstance(sheet.get("first_row"), int)
        and isinstance(sheet.get("indicators"), list)
        and all(isinstance(key, str) for key in sheet["indicators"])
        for sheet in sheets
    )


def _read(
    values: Any, formulas: Any, meta: Mapping[str, Any], name: str
) -> list[RawAnswer | RowProblem]:
    respondent_cell = meta["respondent_cell"]
    title, coordinate = respondent_cell.rsplit("!", 1)
    if title not in values.sheetnames:
        raise FileProblem("sheet_missing", sheet=title)
    respondent = cell_text(values[title][coordinate].value)
    if not respondent:
        raise FileProblem("no_respondent")
    columns = {field: COLUMNS[field] for field in _FIELDS}
    columns.update(respondent=respondent_cell, indicator=COLUMNS["key"])
    context = _Context(name, respondent, meta["assessment_id"] or None, columns)
    items: list[RawAnswer | RowProblem] = []
    for sheet in meta["sheets"]:
        if sheet["title"] not in values.sheetnames:
            raise FileProblem("sheet_missing", sheet=sheet["title"])
        items.extend(_sheet(values, formulas, sheet, context))
    return items


@dataclass(frozen=True, slots=True)
class _Context:
    """What every answer of the workbook shares."""

    name: str
    respondent: str
    assessment: str | None
    columns: Mapping[str, str]


def _sheet(
    values: Any, formulas: Any, sheet: Mapping[str, Any], context: _Context
) -> Iterator[RawAnswer | RowProblem]:
    title, first, keys = sheet["title"], sheet["first_row"], sheet["indicators"]
    if not keys:
        return
    span = {"min_row": first, "max_row": first + len(keys) - 1, "max_col": LAST_COLUMN}
    # Closed explicitly: a row generator left open keeps the archive's file open after close.
    with (
        closing(values[title].iter_rows(values_only=True, **span)) as value_rows,
        closing(formulas[title].iter_rows(**span)) as cell_rows,
    ):
        yield from _rows(zip(value_rows, cell_rows, strict=False), title, first, keys, context)


def _rows(
    rows: Iterator[tuple[Any, Any]],
    title: str,
    first: int,
    keys: Sequence[str],
    context: _Context,
) -> Iterator[RawAnswer | RowProblem]:
    seen = 0
    for offset, (row_values, row_cells) in enumerate(rows):
        if len(row_values) < LAST_COLUMN or cell_text(row_values[_INDEX["key"]]) != keys[offset]:
            raise FileProblem("tampered_workbook")
        seen += 1
        where = Where(context.name, title, first + offset, COLUMNS["answer"])
        item = _answer(row_values, row_cells, where)
        if isinstance(item, dict):
            yield _raw(item, keys[offset], where, context)
        elif item is not None:
            yield item
    if seen != len(keys):
        raise FileProblem("tampered_workbook")  # rows deleted, or the sheet emptied


def _answer(
    row_values: Sequence[Any], row_cells: Sequence[Any], where: Where
) -> RowProblem | dict[str, Any] | None:
    found: dict[str, Any] = {}
    for field in _FIELDS:
        index = _INDEX[field]
        value = row_values[index]
        if value is None and getattr(row_cells[index], "data_type", None) == "f":
            at = Where(where.file, where.sheet, where.row, COLUMNS[field])
            return RowProblem(at, "formula_without_value", {})
        found[field] = value
    if is_blank(*found.values()):
        return None  # not answered
    return found


def _raw(row: Mapping[str, Any], indicator: str, where: Where, context: _Context) -> RawAnswer:
    answer = row["answer"]
    if isinstance(answer, str):
        answer = answer.strip() or None
    elif answer is not None and not isinstance(answer, int | float):
        answer = cell_text(answer)  # a date or a time: refused later as not a level
    return RawAnswer(
        respondent=context.respondent,
        indicator=indicator,
        answer=answer,
        confidence=cell_text(row["confidence"]) or None,
        evidence=cell_text(row["evidence"]),
        comment=cell_text(row["comment"]),
        assessment=context.assessment,
        where=where,
        columns=context.columns,
    )
