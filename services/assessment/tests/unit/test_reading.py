import io
import json
import random
import re
import tracemalloc
import zipfile

import openpyxl
import pytest

from assessment.bulk import reading_json
from assessment.bulk.problems import FILE_CODES, MESSAGES, ROW_CODES, message
from assessment.bulk.reading import (
    FileProblem,
    Limits,
    RawAnswer,
    RowProblem,
    Where,
    count_rows,
    detect_format,
    map_answer,
    map_confidence,
    open_answers,
)
from assessment.bulk.workbook import (
    META_SHEET,
    answer_labels,
    build_csv,
    build_json,
    build_workbook,
)
from assessment.frameworks import repository_frameworks

SECRET = b"reading-secret"
DASH = "\u2013"
ANA = "ana@example.org"
XLSX_COLUMNS = {
    "answer": "J",
    "confidence": "K",
    "evidence": "L",
    "comment": "M",
    "respondent": "Instructions!B8",
    "indicator": "A",
}
CSV_HEADER = "respondent,indicator,answer,confidence,evidence,comment"
CSV_COLUMNS = {f: f for f in CSV_HEADER.split(",")}


@pytest.fixture(scope="module")
def real():
    return next(f for f in repository_frameworks() if f.key == "ai-ml-readiness")


def read(path, *, name=None, secret=SECRET, limits=None):
    facts, items = open_answers(
        path,
        name=name or path.name,
        framework_lookup=lambda key, version: None,
        secret=secret,
        **({"limits": limits} if limits else {}),
    )
    return facts, list(items)


def refused(path, **kwargs):
    with pytest.raises(FileProblem) as caught:
        read(path, **kwargs)
    return caught.value


def workbook_file(tmp_path, framework, fill=None, *, language="en", respondent=ANA, **kwargs):
    content = build_workbook(framework, language, secret=SECRET, **kwargs)
    book = openpyxl.load_workbook(io.BytesIO(content))
    if respondent is not None:
        book.worksheets[0]["B8"] = respondent
    if fill is not None:
        fill(book)
    path = tmp_path / "answers.xlsx"
    book.save(path)
    return path


def text_cell(cell, value):
    # What a spreadsheet stores when an officer types '=… : text, not a formula.
    cell.value = value
    cell.data_type = "s"


def xlsx_answer(indicator, answer, sheet, row, **fields):
    values = {
        "respondent": ANA,
        "confidence": None,
        "evidence": "",
        "comment": "",
        "assessment": None,
        "columns": XLSX_COLUMNS,
    } | fields
    where = Where("answers.xlsx", sheet, row, "J")
    return RawAnswer(indicator=indicator, answer=answer, where=where, **values)


def fill_as_officers(book):
    strategy, data, governance = book["Strategy"], book["Data"], book["Governance"]
    strategy["J5"], strategy["K5"] = f"3 {DASH} Operational", "high"
    strategy["L5"], strategy["M5"] = "  Strategic plan 2024  ", "Reviewed in March"
    strategy["J6"] = 2
    strategy["J7"], strategy["K7"] = "Don't know", "Low"
    strategy["J8"] = "Not applicable"
    data["J6"] = f"4 {DASH} Avancé"
    text_cell(data["M6"], "=not a formula")
    governance["M5"] = "Answer later"


def expected_officer_answers(real):
    strategy = [i.key for i in real.area("strategy").indicators]
    return [
        xlsx_answer(
            strategy[0],
            f"3 {DASH} Operational",
            "Strategy",
            5,
            confidence="high",
            evidence="Strategic plan 2024",
            comment="Reviewed in March",
        ),
        xlsx_answer(strategy[1], 2, "Strategy", 6),
        xlsx_answer(strategy[2], "Don't know", "Strategy", 7, confidence="Low"),
        xlsx_answer(strategy[3], "Not applicable", "Strategy", 8),
        xlsx_answer(
            real.area("governance").indicators[0].key,
            None,
            "Governance",
            5,
            comment="Answer later",
        ),
        xlsx_answer(
            real.area("data").indicators[1].key,
            f"4 {DASH} Avancé",
            "Data",
            6,
            comment="=not a formula",
        ),
    ]


# -- workbooks ---------------------------------------------------------------------------------
def test_a_filled_workbook_reads_back_as_the_answers_typed(tmp_path, real):
    path = workbook_file(tmp_path, real, fill_as_officers)
    facts, items = read(path)
    assert facts.format == "xlsx"
    assert (facts.framework_key, facts.framework_version) == (real.key, real.version)
    assert (facts.language, facts.assessment_id) == ("en", None)
    assert items == expected_officer_answers(real)
    assert [map_answer(item.answer) for item in items] == [
        "3",
        "2",
        "dont_know",
        "not_applicable",
        None,
        "4",
    ]


def test_a_french_workbook_reads_back_with_its_labels_and_assessment(tmp_path, real):
    labels = answer_labels("fr", real)

    def fill(book):
        sheet = book["Stratégie"]
        for row, label in enumerate(labels, start=5):
            sheet[f"J{row}"] = label
        sheet["K5"], sheet["K6"] = "élevée", "Moyenne"

    path = workbook_file(tmp_path, real, fill, language="fr", assessment_id="as-9")
    facts, items = read(path)
    assert (facts.language, facts.assessment_id) == ("fr", "as-9")
    assert [item.answer for item in items] == labels
    assert [map_answer(item.answer) for item in items] == [
        *"12345",
        "dont_know",
        "not_applicable",
    ]
    assert [map_confidence(item.confidence) for item in items[:3]] == ["high", "medium", None]
    assert {item.assessment for item in items} == {"as-9"}
    assert items[0].columns["respondent"] == "Consignes!B8"
    assert items[0].where == Where("answers.xlsx", "Stratégie", 5, "J")


def test_an_untouched_workbook_reads_as_no_answers(tmp_path, real):
    facts, items = read(workbook_file(tmp_path, real))
    assert items == []
    assert facts.framework_key == real.key


def test_sheets_may_be_reordered(tmp_path, real):
    def fill(book):
        fill_as_officers(book)
        book.move_sheet("Data", offset=-2)

    assert read(workbook_file(tmp_path, real, fill))[1] == expected_officer_answers(real)


@pytest.mark.parametrize(
    "change, sheet",
    [
        (lambda book: setattr(book["Data"], "title", "Donnees"), "Data"),
        (lambda book: book.remove(book["Data"]), "Data"),
        (lambda book: setattr(book["Instructions"], "title", "Read me"), "Instructions"),
    ],
)
def test_a_renamed_or_deleted_sheet_refuses_the_workbook(tmp_path, real, change, sheet):
    problem = refused(workbook_file(tmp_path, real, change))
    assert (problem.code, problem.params) == ("sheet_missing", {"sheet": sheet})


def set_meta(book, key, value):
    for row in book[META_SHEET].iter_rows(min_col=1, max_col=2):
        if row[0].value == key:
            row[1].value = value
            return
    raise AssertionError(key)


@pytest.mark.parametrize(
    "change",
    [
        lambda book: set_meta(book, "framework_version", '"9.9"'),
        lambda book: set_meta(book, "checksum", '"00"'),
        lambda book: set_meta(book, "sheets", "[]"),
        lambda book: book["Strategy"].__setitem__("A6", "strategy.other"),
        lambda book: book["Strategy"].delete_rows(5, 100),
        lambda book: book["Data"].delete_rows(9, 1),
    ],
    ids=["meta value", "checksum", "sheets", "hidden key", "sheet emptied", "row deleted"],
)
def test_a_changed_layout_refuses_the_workbook_as_tampered(tmp_path, real, change):
    assert refused(workbook_file(tmp_path, real, change)).code == "tampered_workbook"


def test_a_workbook_signed_with_another_secret_is_tampered(tmp_path, real):
    path = workbook_file(tmp_path, real)
    assert refused(path, secret=b"another").code == "tampered_workbook"


@pytest.mark.parametrize(
    "change",
    [
        lambda book: book.remove(book[META_SHEET]),
        lambda book: set_meta(book, "sheets", "{not json"),
        lambda book: set_meta(book, "layout", '"someone-else/2"'),
    ],
    ids=["no meta", "garbled", "other layout"],
)
def test_a_workbook_without_our_description_is_not_ours(tmp_path, real, change):
    assert refused(workbook_file(tmp_path, real, change)).code == "not_our_workbook"


def test_a_plain_workbook_is_not_ours(tmp_path):
    book = openpyxl.Workbook()
    book.active["A1"] = "answer"
    book.save(tmp_path / "plain.xlsx")
    assert refused(tmp_path / "plain.xlsx").code == "not_our_workbook"


def test_a_workbook_without_respondent_is_refused(tmp_path, real):
    path = workbook_file(tmp_path, real, fill_as_officers, respondent="   ")
    assert refused(path).code == "no_respondent"


def test_a_respondent_typed_as_a_number_reads_as_its_digits(tmp_path, real):
    path = workbook_file(tmp_path, real, fill_as_officers, respondent=1234.0)
    assert {item.respondent for item in read(path)[1]} == {"1234"}


def test_a_formula_without_a_computed_value_is_a_row_problem(tmp_path, real):
    def fill(book):
        book["Strategy"]["J5"] = "=1+2"
        book["Strategy"]["J6"], book["Strategy"]["L6"] = 3, "=A1"
        book["Strategy"]["J7"] = 4

    _, items = read(workbook_file(tmp_path, real, fill))
    assert items == [
        RowProblem(Where("answers.xlsx", "Strategy", 5, "J"), "formula_without_value", {}),
        RowProblem(Where("answers.xlsx", "Strategy", 6, "L"), "formula_without_value", {}),
        xlsx_answer(real.area("strategy").indicators[2].key, 4, "Strategy", 7),
    ]


def test_a_formula_with_its_computed_value_reads_as_the_value(tmp_path, real):
    path = workbook_file(tmp_path, real, lambda book: book["Strategy"].__setitem__("J5", "=1+2"))
    # A spreadsheet saves the computed value beside the formula; openpyxl cannot, so add it.
    patched = tmp_path / "computed.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(patched, "w") as target:
        for entry in source.infolist():
            content = source.read(entry)
            if entry.filename == "xl/worksheets/sheet2.xml":
                content, n = re.subn(
                    rb"(<c r=\"J5\"[^>]*><f>1\+2</f>)<v\s*/>", rb"\1<v>3</v>", content
                )
                assert n == 1
            target.writestr(entry, content)
    _, items = read(patched, name="answers.xlsx")
    assert items == [xlsx_answer(real.area("strategy").indicators[0].key, 3, "Strategy", 5)]


def fail_if_parsed(*args, **kwargs):
    raise AssertionError("openpyxl opened the archive")


def zip_bomb(path, megabytes):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            chunk = bytes(1024 * 1024)
            for _ in range(megabytes):
                out.write(chunk)
    return path


@pytest.mark.parametrize(
    "limits",
    [Limits(), Limits(max_ratio=10**9)],
    ids=["ratio", "total size"],
)
def test_a_zip_bomb_is_refused_before_openpyxl_reads_it(tmp_path, monkeypatch, limits):
    path = zip_bomb(tmp_path / "bomb.xlsx", 257)
    assert path.stat().st_size < 2 * 1024 * 1024
    monkeypatch.setattr(openpyxl, "load_workbook", fail_if_parsed)
    assert refused(path, limits=limits).code == "archive_too_large"


def test_an_entry_compressed_far_beyond_the_ratio_is_refused(tmp_path, monkeypatch):
    path = zip_bomb(tmp_path / "bomb.xlsx", 8)
    monkeypatch.setattr(openpyxl, "load_workbook", fail_if_parsed)
    assert refused(path).code == "archive_too_large"


def test_a_workbook_with_too_many_entries_is_refused(tmp_path, real):
    path = workbook_file(tmp_path, real)
    assert refused(path, limits=Limits(max_entries=5)).code == "archive_too_large"


def test_an_oversized_list_of_entries_is_refused_before_zipfile_reads_it(tmp_path, monkeypatch):
    path = tmp_path / "many.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for n in range(300):
            archive.writestr(f"xl/media/image{n}.png", b"")
    monkeypatch.setattr(zipfile, "ZipFile", fail_if_parsed)
    assert refused(path, limits=Limits(max_entries=10)).code == "archive_too_large"


def test_random_bytes_named_xlsx_are_not_a_workbook(tmp_path):
    path = tmp_path / "answers.xlsx"
    path.write_bytes(b"\x00" + random.Random(7).randbytes(5000))
    assert refused(path).code == "not_a_workbook"


@pytest.mark.parametrize(
    "entries",
    [
        {"word/document.xml": "<document/>"},
        {"xl/workbook.xml": "<<< not xml", "[Content_Types].xml": "<Types/>"},
    ],
    ids=["other office file", "broken parts"],
)
def test_an_archive_that_is_not_a_readable_workbook_is_refused(tmp_path, entries):
    path = tmp_path / "answers.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for entry, content in entries.items():
            archive.writestr(entry, content)
    assert refused(path).code == "not_a_workbook"


def test_a_truncated_workbook_is_not_a_workbook(tmp_path, real):
    content = build_workbook(real, "en", secret=SECRET)
    path = tmp_path / "answers.xlsx"
    path.write_bytes(content[: len(content) // 2])
    assert refused(path).code == "not_a_workbook"


def test_a_file_over_the_size_limit_or_empty_is_refused_unread(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text(f"{CSV_HEADER}\nana,strategy.a,3,,,\n")
    assert refused(path, limits=Limits(max_bytes=10)).code == "file_too_large"
    path.write_bytes(b"")
    assert refused(path).code == "empty_file"


@pytest.mark.parametrize(
    "head, name, expected",
    [
        (b"PK\x03\x04rest", "answers.csv", "xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old.xls", "xlsx"),
        (b"\xef\xbb\xbf \n {", "answers", "json"),
        (b"  [{", "answers.csv", "json"),
        (b"respondent,indicator,answer", "answers.csv", "csv"),
        (b"respondent;indicator;answer", "upload", "csv"),
        (b"\xff\xfer\x00e\x00", "answers.txt", "csv"),
        (b"respondent,indicator", "answers.XLSX", "xlsx"),
        (b"%PDF-1.7\x00\x01", "answers.pdf", "xlsx"),
        (b"not json", "answers.json", "json"),
    ],
)
def test_the_format_is_told_by_content_first_then_by_name(head, name, expected):
    assert detect_format(head, name) == expected


# -- CSV ---------------------------------------------------------------------------------------
def csv_file(tmp_path, content, name="answers.csv"):
    path = tmp_path / name
    path.write_bytes(content)
    return path


def csv_answer(respondent, indicator, answer, row, **fields):
    values = {
        "confidence": None,
        "evidence": "",
        "comment": "",
        "assessment": None,
        "columns": CSV_COLUMNS,
    } | fields
    where = Where("answers.csv", "", row, values["columns"]["answer"])
    return RawAnswer(respondent, indicator, answer, where=where, **values)


def test_a_utf8_csv_with_bom_and_commas_reads_values_as_written(tmp_path):
    content = (
        f"\ufeff{CSV_HEADER}\r\n"
        " ana@example.org , strategy.a , 3 ,high, Plan ,=1+1 stays text\r\n"
        "ben,data.b,Je ne sais pas,,,\r\n"
    )
    facts, items = read(csv_file(tmp_path, content.encode("utf-8")))
    assert (facts.format, facts.framework_key, facts.assessment_id) == ("csv", None, None)
    assert items == [
        csv_answer(
            ANA, "strategy.a", "3", 2, confidence="high", evidence="Plan", comment="=1+1 stays text"
        ),
        csv_answer("ben", "data.b", "Je ne sais pas", 3),
    ]


def test_a_windows_1252_csv_with_semicolons_keeps_its_french_accents(tmp_path):
    content = (
        f"{CSV_HEADER.replace(',', ';')}\r\nzoé@exemple.fr;data.a;3;élevée;Données;Très bien\r\n"
    )
    _, items = read(csv_file(tmp_path, content.encode("cp1252")))
    assert items == [
        csv_answer(
            "zoé@exemple.fr", "data.a", "3", 2, confidence="élevée", evidence="Données",
            comment="Très bien",
        )
    ]  # fmt: skip


def test_a_tab_separated_utf16_csv_as_excel_saves_unicode_text_reads(tmp_path):
    content = f"{CSV_HEADER.replace(',', chr(9))}\r\nana\tdata.c\t5\t\t\tÉté\r\n"
    _, items = read(csv_file(tmp_path, content.encode("utf-16")))
    assert items == [csv_answer("ana", "data.c", "5", 2, comment="Été")]


def test_an_excel_separator_line_is_followed_and_counted_as_a_row(tmp_path):
    content = f"sep=;\r\n{CSV_HEADER.replace(',', ';')}\r\nana;data.c;2,0;;;\r\n"
    _, items = read(csv_file(tmp_path, content.encode()))
    assert items == [csv_answer("ana", "data.c", "2,0", 3)]


def test_csv_columns_may_come_in_any_order_and_case_with_extra_ones(tmp_path):
    content = "Notes,ANSWER,Indicator,Respondent,assessment\nignored,4,data.a,ana,as-2\n"
    _, items = read(csv_file(tmp_path, content.encode()))
    columns = {"answer": "ANSWER", "indicator": "Indicator", "respondent": "Respondent"}
    columns["assessment"] = "assessment"
    assert items == [csv_answer("ana", "data.a", "4", 2, assessment="as-2", columns=columns)]


def test_csv_rows_are_numbered_by_record_and_unanswered_rows_are_skipped(tmp_path):
    content = (
        f"{CSV_HEADER}\n"
        'ana,data.a,3,,,"first line\nsecond line"\n'
        "ana,data.b,,,,\n"
        "\n"
        "ana,data.c\n"
        "ana,strategy.a,,low\n"
    )
    _, items = read(csv_file(tmp_path, content.encode()))
    assert items == [
        csv_answer("ana", "data.a", "3", 2, comment="first line\nsecond line"),
        csv_answer("ana", "strategy.a", None, 6, confidence="low"),
    ]


def test_a_csv_without_the_required_columns_is_refused_naming_them(tmp_path):
    problem = refused(csv_file(tmp_path, b"indicator;comment\ndata.a;x\n"))
    assert (problem.code, problem.params) == ("bad_header", {"columns": "respondent, answer"})


@pytest.mark.parametrize(
    "content",
    [f"{CSV_HEADER}\r\n".encode(), f"{CSV_HEADER}\n\n  \n".encode(), b"\xef\xbb\xbf", b"\n\n"],
    ids=["header only", "blank lines", "bom only", "no header"],
)
def test_a_csv_without_rows_is_empty(tmp_path, content):
    assert refused(csv_file(tmp_path, content)).code == "empty_file"


def test_a_csv_in_an_unknown_encoding_is_refused(tmp_path):
    content = f"{CSV_HEADER}\n".encode() + b"\x81\x8d,data.a,3,,,\n"
    assert refused(csv_file(tmp_path, content)).code == "bad_encoding"


def test_the_filled_csv_template_reads_back_ignoring_its_informative_columns(tmp_path, real):
    rows = build_csv(real, "fr").splitlines()
    first, second = real.indicators[0].key, real.indicators[1].key
    rows[1] = rows[1].replace(f",{first},,,,,", f"ana,{first},3 {DASH} Opérationnel,faible,,,", 1)
    rows[2] = rows[2].replace(f",{second},,,,,", f"ana,{second},,,,,", 1)
    path = csv_file(tmp_path, ("\ufeff" + "\r\n".join(rows) + "\r\n").encode())
    _, items = read(path)
    assert items == [csv_answer("ana", first, f"3 {DASH} Opérationnel", 2, confidence="faible")]


def test_a_large_csv_is_read_with_flat_memory(tmp_path):
    path = tmp_path / "big.csv"
    rows = 100_000
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(f"{CSV_HEADER},assessment\r\n")
        for n in range(rows):
            out.write(f"r{n}@example.org,strategy.a,3,high,evidence {n},comment {n},as-1\r\n")
    tracemalloc.start()
    try:
        _, items = open_answers(
            path, name="big.csv", framework_lookup=lambda k, v: None, secret=SECRET
        )
        count = sum(1 for item in items if isinstance(item, RawAnswer))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == rows
    assert peak < 4 * 1024 * 1024  # holding the rows would take tens of megabytes


# -- JSON --------------------------------------------------------------------------------------
def json_file(tmp_path, document, name="answers.json"):
    path = tmp_path / name
    text = document if isinstance(document, str) else json.dumps(document, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return path


def json_answer(respondent, indicator, answer, index, number, **fields):
    base = f"respondents[{index}]"
    at = f"{base}.answers[{number}]"
    columns = {"respondent": f"{base}.respondent", "assessment": f"{base}.assessment"}
    columns |= {f: f"{at}.{f}" for f in ("indicator", "answer", "confidence", "evidence")}
    columns["comment"] = f"{at}.comment"
    values = {"confidence": None, "evidence": "", "comment": "", "assessment": None} | fields
    where = Where("answers.json", "", index + 1, f"{at}.answer")
    return RawAnswer(respondent, indicator, answer, where=where, columns=columns, **values)


def test_the_filled_json_template_reads_back(tmp_path, real):
    document = build_json(real, "fr")
    respondent = document["respondents"][0]
    respondent["respondent"] = " ana@example.org "
    respondent["answers"][0].update(answer="Sans objet", confidence="moyenne", comment="=x")
    respondent["answers"][2].update(answer=4, evidence="Rapport")
    facts, items = read(json_file(tmp_path, document))
    assert (facts.format, facts.framework_key, facts.framework_version) == (
        "json",
        real.key,
        real.version,
    )
    assert facts.language == "fr"
    keys = [i.key for i in real.indicators]
    assert items == [
        json_answer(ANA, keys[0], "Sans objet", 0, 0, confidence="moyenne", comment="=x"),
        json_answer(ANA, keys[2], 4, 0, 2, evidence="Rapport"),
    ]


def test_json_respondent_and_assessment_may_follow_the_answers(tmp_path):
    document = {
        "assessment": "as-top",
        "respondents": [
            {"answers": [{"indicator": "data.a", "answer": 3.0}], "respondent": "ana"},
            {
                "answers": [{"indicator": "data.b", "answer": "2", "confidence": "high"}],
                "assessment": "as-own",
                "respondent": "ben",
            },
        ],
        "framework": {"key": "test-fw", "version": "1.0"},
    }
    facts, items = read(json_file(tmp_path, json.dumps(document, sort_keys=True)))
    assert (facts.framework_key, facts.assessment_id) == ("test-fw", "as-top")
    assert items == [
        json_answer("ana", "data.a", 3.0, 0, 0, assessment="as-top"),
        json_answer("ben", "data.b", "2", 1, 0, confidence="high", assessment="as-own"),
    ]
    assert map_answer(items[0].answer) == "3"


def test_a_top_level_json_list_of_respondents_reads(tmp_path):
    path = json_file(
        tmp_path, [{"respondent": "ana", "answers": [{"indicator": "x", "answer": 1}]}]
    )
    facts, items = read(path)
    assert facts.framework_key is None
    assert [(i.respondent, i.answer, i.where.column) for i in items] == [
        ("ana", 1, "[0].answers[0].answer")
    ]


def test_json_entries_that_are_not_objects_are_row_problems(tmp_path):
    document = {
        "respondents": [
            "ana",
            {"respondent": "ben", "answers": {"indicator": "x"}},
            {"respondent": "eve", "answers": [7, {"indicator": "y", "answer": [1]}]},
        ]
    }
    _, items = read(json_file(tmp_path, document))
    assert items == [
        RowProblem(Where("answers.json", "", 1, "respondents[0]"), "bad_json", {"detail": ANY}),
        RowProblem(
            Where("answers.json", "", 2, "respondents[1].answers"), "bad_json", {"detail": ANY}
        ),
        RowProblem(
            Where("answers.json", "", 3, "respondents[2].answers[0]"), "bad_json", {"detail": ANY}
        ),
        json_answer("eve", "y", "[1]", 2, 1),
    ]
    assert items[0].params["detail"] == "respondents[0] is not an object"
    with pytest.raises(ValueError, match="level_not_a_number"):
        map_answer(items[3].answer)


class _Any:
    def __eq__(self, other):
        return isinstance(other, str) and bool(other)


ANY = _Any()


@pytest.mark.parametrize(
    "text",
    [
        '{"respondents": [{"respondent": "ana", "answers": [{"answer": 3}',
        '{"respondents": [{"respondent": "ana", "answers": []}]} trailing',
        '{"respondents": [{"respondent": "ana" "answers": []}]}',
        '"just text"',
        '{"respondents": {"ana": []}}',
        '{"framework": "test-fw", "respondents": [{}]}',
    ],
    ids=["truncated", "trailing", "syntax", "scalar", "respondents object", "framework text"],
)
def test_invalid_json_is_refused_before_any_row(tmp_path, text):
    problem = refused(json_file(tmp_path, text))
    assert problem.code == "bad_json"
    assert problem.params["detail"]


@pytest.mark.parametrize(
    "document, code",
    [
        ({"framework": {"key": "k", "version": "1"}}, "empty_file"),
        ({"respondents": []}, "empty_file"),
        ({"format": "smartcustoms.assessment", "respondents": [{}]}, "unsupported_format"),
    ],
)
def test_a_json_file_without_respondents_or_of_another_format_is_refused(tmp_path, document, code):
    assert refused(json_file(tmp_path, document)).code == code


def test_json_with_a_bom_reads(tmp_path):
    path = tmp_path / "answers.json"
    document = {
        "respondents": [{"respondent": "ana", "answers": [{"indicator": "x", "answer": 2}]}]
    }
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(document).encode())
    assert [item.answer for item in read(path)[1]] == [2]


def test_a_respondent_with_too_many_answers_stops_the_file(tmp_path, monkeypatch):
    monkeypatch.setattr(reading_json, "MAX_ANSWERS", 3)
    answers = [{"indicator": f"i{n}", "answer": 1} for n in range(4)]
    path = json_file(tmp_path, {"respondents": [{"respondent": "ana", "answers": answers}]})
    problem = refused(path)
    assert problem.code == "bad_json" and "more than 3 answers" in problem.params["detail"]


def test_a_large_json_file_is_streamed_with_flat_memory(tmp_path):
    path = tmp_path / "big.json"
    respondents, per = 1_000, 50
    with path.open("w", encoding="utf-8") as out:
        out.write('{"format": "smartcustoms-answers/1", "respondents": [')
        for n in range(respondents):
            answers = ",".join(
                f'{{"indicator": "i{k}", "answer": 3, "comment": "comment {n} {k}"}}'
                for k in range(per)
            )
            out.write(("," if n else "") + f'{{"respondent": "r{n}", "answers": [{answers}]}}')
        out.write("]}")
    tracemalloc.start()
    try:
        _, items = open_answers(
            path, name="big.json", framework_lookup=lambda k, v: None, secret=SECRET
        )
        count = sum(1 for item in items if isinstance(item, RawAnswer))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == respondents * per
    assert peak < 4 * 1024 * 1024


# -- counting ----------------------------------------------------------------------------------
def test_count_rows_counts_what_the_reader_yields(tmp_path, real):
    path = workbook_file(tmp_path, real, fill_as_officers)
    kwargs = {"framework_lookup": lambda k, v: None, "secret": SECRET}
    assert count_rows(path, name="answers.xlsx", **kwargs) == len(read(path)[1]) == 6
    path = csv_file(tmp_path, f"{CSV_HEADER}\na,x,1,,,\nb,y,,,,\nc,z,2,,,\n".encode())
    assert count_rows(path, name="answers.csv", **kwargs) == 2


@pytest.mark.parametrize(
    "header, line",
    [
        (CSV_HEADER, "r{n},i{n},{answer},,,"),
        ("respondent;indicator;answer", "r{n};i{n};{answer}"),  # no optional column
        ("sep=;\nanswer;confidence;respondent;indicator", "{answer};{confidence};r{n};i{n}"),
    ],
)
def test_count_rows_of_a_long_csv_counts_what_the_reader_yields(tmp_path, header, line):
    # Over several counting blocks, with blank lines, short records, blank-only and
    # confidence-only cells, so every way of counting meets each kind of row.
    lines = [header]
    for n in range(9000):
        answer = ("3", "", " ", "\t2 ")[n % 4]
        confidence = ("", "high", " ")[n % 3]
        lines.append(line.format(n=n, answer=answer, confidence=confidence))
        if n in (10, 5000):
            lines.extend(["", "r,i"])
    path = csv_file(tmp_path, ("\n".join(lines) + "\n").encode())
    kwargs = {"framework_lookup": lambda k, v: None, "secret": SECRET}
    yielded = [item for item in read(path)[1] if isinstance(item, RawAnswer)]
    assert count_rows(path, name="answers.csv", **kwargs) == len(yielded)
    assert 4000 < len(yielded) < 9000


# -- mapping values ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "value, expected",
    [
        (None, None),
        ("", None),
        ("   ", None),
        (1, "1"),
        (3.0, "3"),
        ("3", "3"),
        (" 3 ", "3"),
        ("3.0", "3"),
        ("3,0", "3"),
        ("+5", "5"),
        (f"3 {DASH} Operational", "3"),
        (f"4 {DASH} Avancé", "4"),
        ("2 - Developing", "2"),
        ("5: Transformational", "5"),
        ("Don't know", "dont_know"),
        ("don\u2019t KNOW", "dont_know"),
        ("dont_know", "dont_know"),
        ("Je ne sais pas", "dont_know"),
        ("NOT APPLICABLE", "not_applicable"),
        ("not_applicable", "not_applicable"),
        ("Sans objet", "not_applicable"),
        ("N/A", "not_applicable"),
    ],
)
def test_answers_map_from_numbers_labels_and_words_in_both_languages(value, expected):
    assert map_answer(value) == expected


@pytest.mark.parametrize(
    "value, code",
    [
        (0, "level_out_of_range"),
        (6, "level_out_of_range"),
        (-1, "level_out_of_range"),
        (3.5, "level_out_of_range"),
        ("0", "level_out_of_range"),
        ("6 - Beyond", "level_out_of_range"),
        ("2,5", "level_out_of_range"),
        (float("inf"), "level_out_of_range"),
        ("abc", "level_not_a_number"),
        ("3abc", "level_not_a_number"),
        ("1e3", "level_not_a_number"),
        ("Operational", "level_not_a_number"),
        (True, "level_not_a_number"),
        (False, "level_not_a_number"),
        (float("nan"), "level_not_a_number"),
    ],
)
def test_answers_that_are_not_levels_are_refused_with_a_code(value, code):
    with pytest.raises(ValueError) as caught:
        map_answer(value)
    assert str(caught.value) == code


def test_a_level_name_alone_maps_when_the_names_are_given(real):
    assert map_answer("opérationnel", level_names=real.level_names) == "3"
    assert map_answer("Transformational", level_names=real.level_names) == "5"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_drop_down_label_maps_back(real, language):
    mapped = [map_answer(label) for label in answer_labels(language, real)]
    assert mapped == ["1", "2", "3", "4", "5", "dont_know", "not_applicable"]


@pytest.mark.parametrize(
    "value, expected",
    [
        (None, None),
        ("  ", None),
        ("low", "low"),
        ("Medium", "medium"),
        (" HIGH ", "high"),
        ("faible", "low"),
        ("moyenne", "medium"),
        ("élevée", "high"),
        ("Elevee", "high"),
        ("ÉLEVÉ", "high"),
    ],
)
def test_confidence_maps_from_english_and_french(value, expected):
    assert map_confidence(value) == expected


@pytest.mark.parametrize("value", ["very", "3", "haute et basse"])
def test_an_unknown_confidence_is_refused(value):
    with pytest.raises(ValueError, match="bad_confidence"):
        map_confidence(value)


# -- problems ----------------------------------------------------------------------------------
SPEC_CODES = {
    "not_a_workbook": set(),
    "unsupported_format": set(),
    "file_too_large": set(),
    "archive_too_large": set(),
    "not_our_workbook": set(),
    "tampered_workbook": set(),
    "sheet_missing": {"sheet"},
    "empty_file": set(),
    "no_respondent": set(),
    "bad_encoding": set(),
    "bad_header": {"columns"},
    "bad_json": {"detail"},
    "unknown_respondent": {"respondent"},
    "unknown_indicator": {"indicator"},
    "level_out_of_range": {"value"},
    "level_not_a_number": {"value"},
    "bad_confidence": {"value"},
    "not_assigned": {"indicator", "respondent"},
    "wrong_framework": {"expected", "found"},
    "duplicate_answer": {"indicator", "respondent"},
    "text_too_long": {"field", "max"},
    "unsafe_text": {"field"},
    "formula_without_value": set(),
}


def test_every_problem_has_a_french_message_with_the_same_placeholders():
    for code, fields in SPEC_CODES.items():
        assert set(re.findall(r"%\((\w+)\)s", MESSAGES[code])) == fields, code
        values = {field: f"<{field}>" for field in fields}
        english, french = message(code, "en", **values), message(code, "fr", **values)
        assert english != french, code
        assert all(value in french for value in values.values()), code
    assert set(MESSAGES) == FILE_CODES | ROW_CODES and not FILE_CODES & ROW_CODES


def test_messages_are_filled_in_the_language_asked_or_english():
    assert message("sheet_missing", "fr", sheet="Données") == (
        "La feuille « Données » est absente : les feuilles ne doivent être ni renommées ni "
        "supprimées."
    )
    assert message("bad_header", "de", columns="answer") == message(
        "bad_header", "en", columns="answer"
    )
    assert "answer" in message("bad_header", "en", columns="answer")
    assert FileProblem("sheet_missing", sheet="Data").message("en") == message(
        "sheet_missing", "en", sheet="Data"
    )
    problem = RowProblem(Where("f", "", 2, "answer"), "level_out_of_range", {"value": "7"})
    assert "7" in problem.message("fr")
