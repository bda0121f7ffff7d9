"""Reading answers from CSV: encoding and separator found out, then one record at a time.

The encoding is decided by a first pass over the bytes (UTF-8 with or without BOM, UTF-16 with
a BOM as Excel's "Unicode text", else Windows-1252, which covers Latin-1 French accents), so a
badly encoded file is refused before any row is read. Rows are numbered by CSV record, the
header being row 1, as a spreadsheet shows them (a quoted line break does not shift them).
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from assessment.bulk.reading_types import FileFacts, FileProblem, RawAnswer, RowProblem, Where

REQUIRED = ("respondent", "indicator", "answer")
KNOWN = (*REQUIRED, "confidence", "evidence", "comment", "assessment")
_SEPARATORS = (",", ";", "\t")  # on a tie, the comma
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class _Layout:
    """How to read the file: found out once, before the first row."""

    encoding: str
    delimiter: str
    header_row: int  # 2 after an Excel "sep=;" line
    index: Mapping[str, int]  # field -> position in a record
    columns: Mapping[str, str]  # field -> the column name as the file writes it


def open_csv(path: Path, *, name: str) -> tuple[FileFacts, Iterator[RawAnswer | RowProblem]]:
    """Return the facts of a CSV file (it says nothing about itself) and its answers."""
    layout = _layout(path)
    return FileFacts("csv", None, None, None, None), _rows(path, name, layout)


def encoding_of(path: Path) -> str:
    """Return the text encoding of the file, or raise ``FileProblem('bad_encoding')``."""
    with path.open("rb") as raw:
        head = raw.read(4)
        if head.startswith(codecs.BOM_UTF8):
            candidates: tuple[str, ...] = ("utf-8-sig",)
        elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            candidates = ("utf-16",)
        else:
            candidates = ("utf-8", "cp1252")
        for candidate in candidates:
            raw.seek(0)
            decoder = codecs.getincrementaldecoder(candidate)()
            try:
                while chunk := raw.read(_CHUNK):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                continue
            return candidate
    raise FileProblem("bad_encoding")


def _text(path: Path, encoding: str) -> io.TextIOWrapper:
    return io.TextIOWrapper(path.open("rb"), encoding=encoding, newline="")


def _layout(path: Path) -> _Layout:
    encoding = encoding_of(path)
    with _text(path, encoding) as text:
        line, header_row = text.readline(), 1
        hint = line.strip()
        if hint.lower().startswith("sep=") and len(hint) == 5:
            delimiter, line, header_row = hint[4], text.readline(), 2
        else:
            delimiter = max(_SEPARATORS, key=line.count) if line.strip() else ","
        header = next(csv.reader([line], delimiter=delimiter), [])
        index: dict[str, int] = {}
        columns: dict[str, str] = {}
        for position, title in enumerate(header):
            field = title.strip().lower()
            if field in KNOWN and field not in index:
                index[field], columns[field] = position, title.strip()
        if not any(title.strip() for title in header):
            raise FileProblem("empty_file")
        missing = [field for field in REQUIRED if field not in index]
        if missing:
            raise FileProblem("bad_header", columns=", ".join(missing))
        try:
            records = csv.reader(text, delimiter=delimiter)
            if not any(any(cell.strip() for cell in record) for record in records):
                raise FileProblem("empty_file")
        except csv.Error as exc:
            raise FileProblem("bad_csv", line=header_row + 1, detail=str(exc)) from exc
    return _Layout(encoding, delimiter, header_row, index, columns)


def _rows(path: Path, name: str, layout: _Layout) -> Iterator[RawAnswer | RowProblem]:
    # Opened on the first row asked for, so a reader never used leaves no file open.
    columns = layout.columns
    width = max(layout.index.values()) + 1
    # A field the file lacks reads the "" appended to every record (position -1).
    p_resp, p_ind, p_ans, p_conf, p_evid, p_comm, p_assess = (
        layout.index.get(field, -1) for field in KNOWN
    )
    lacking = len(layout.index) < len(KNOWN)
    answer_column = columns["answer"]
    padding = [""] * width
    with _text(path, layout.encoding) as text:
        if layout.header_row == 2:
            text.readline()
        records = csv.reader(text, delimiter=layout.delimiter)
        row = layout.header_row
        try:
            next(records, None)  # the header
            for record in records:
                row += 1
                if len(record) < width:
                    record.extend(padding[len(record) :])
                if lacking:
                    record.append("")
                # Most cells of a large file are empty or plain: strip only what is there.
                answer = record[p_ans]
                answer = answer.strip() if answer else answer
                confidence = record[p_conf]
                confidence = confidence.strip() if confidence else confidence
                evidence = record[p_evid]
                evidence = evidence.strip() if evidence else evidence
                comment = record[p_comm]
                comment = comment.strip() if comment else comment
                if not (answer or confidence or evidence or comment):
                    continue  # not answered (or a blank line)
                assessment = record[p_assess]
                yield RawAnswer(
                    record[p_resp].strip(),
                    record[p_ind].strip(),
                    answer or None,
                    confidence or None,
                    evidence,
                    comment,
                    (assessment.strip() or None) if assessment else None,
                    Where(name, "", row, answer_column),
                    columns,
                )
        except csv.Error as exc:
            raise FileProblem("bad_csv", line=row + 1, detail=str(exc)) from exc
        except UnicodeDecodeError as exc:  # the file changed since its encoding was checked
            raise FileProblem("bad_encoding") from exc


def count_csv(path: Path) -> int:
    """Return how many rows ``open_csv`` yields, without building them (progress totals)."""
    layout = _layout(path)
    width = max(layout.index.values()) + 1
    answer, confidence, evidence, comment = (
        layout.index.get(field, -1) for field in ("answer", "confidence", "evidence", "comment")
    )
    padding = [""] * width
    count = 0
    with _text(path, layout.encoding) as text:
        if layout.header_row == 2:
            text.readline()
        records = csv.reader(text, delimiter=layout.delimiter)
        next(records, None)
        for record in records:
            if len(record) < width:
                record.extend(padding[len(record) :])
            record.append("")
            if (
                record[answer].strip()
                or record[confidence].strip()
                or record[evidence].strip()
                or record[comment].strip()
            ):
                count += 1
    return count


def _field(record: Sequence[str], position: int) -> str:
    return record[position].strip() if 0 <= position < len(record) else ""
