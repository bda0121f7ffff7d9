import copy
import csv
import io
import json

import openpyxl
import pytest

from assessment.bulk import workbook_texts
from assessment.bulk.workbook import (
    CSV_COLUMNS,
    LAYOUT,
    META_SHEET,
    answer_labels,
    build_csv,
    build_json,
    build_workbook,
    layout_checksum,
    sheet_title,
)
from assessment.framework import parse_framework
from assessment.frameworks import repository_frameworks

from .conftest import small_document

SECRET = b"workbook-secret"
DASH = "\u2013"


@pytest.fixture(scope="module")
def real():
    return next(f for f in repository_frameworks() if f.key == "ai-ml-readiness")


def load(content, **kwargs):
    return openpyxl.load_workbook(io.BytesIO(content), **kwargs)


def meta_of(book):
    return {
        key: json.loads(value)
        for key, value in book[META_SHEET].iter_rows(min_col=1, max_col=2, values_only=True)
        if key is not None
    }


def validations(sheet):
    return {str(v.sqref): v for v in sheet.data_validations.dataValidation}


def list_values(book, formula):
    sheet_name, cells = formula.split("!")
    assert sheet_name.strip("'") == META_SHEET
    return [row[0].value for row in book[META_SHEET][cells.replace("$", "")]]


@pytest.mark.parametrize(
    "language, instructions, areas",
    [
        (
            "en",
            "Instructions",
            ["Strategy", "Governance", "Data", "Technical capacity", "Human skills"],
        ),
        ("fr", "Consignes", ["Stratégie", "Gouvernance", "Données", "Capacité technique"]),
    ],
)
def test_the_workbook_has_instructions_then_one_sheet_per_area_in_order_then_hidden_meta(
    real, language, instructions, areas
):
    book = load(build_workbook(real, language, secret=SECRET))
    assert book.sheetnames[0] == instructions
    assert book.sheetnames[1 : 1 + len(areas)] == areas
    assert len(book.sheetnames) == len(real.areas) + 2
    assert book.sheetnames[-1] == META_SHEET
    assert book[META_SHEET].sheet_state == "veryHidden"
    assert book[META_SHEET].protection.sheet is True
    assert book.security.lockStructure is True
    assert book.active.title == instructions


def test_sheet_titles_are_cleaned_shortened_at_a_word_and_made_unique():
    used = {"instructions", "_meta"}
    assert sheet_title("Data: [raw] *?/\\ sets", used, fallback="x") == "Data raw sets"
    long = sheet_title("Technical capacity (infrastructure and tools)", used, fallback="x")
    assert long == "Technical capacity"
    assert sheet_title("'quoted'", used, fallback="x") == "quoted"
    assert sheet_title("???", used, fallback="area-key") == "area-key"
    assert sheet_title("Instructions", used, fallback="x") == "Instructions (2)"
    taken = {"a" * 31}
    assert sheet_title("A" * 40, taken, fallback="x") == "A" * 27 + " (2)"
    assert all(len(sheet_title(n * 7, set(), fallback="x")) <= 31 for n in "ab c")


def test_areas_with_the_same_name_get_distinct_sheets(framework):
    book = load(build_workbook(framework, "en", secret=SECRET))
    assert book.sheetnames == ["Instructions", "text", "text (2)", META_SHEET]
    assert [s["title"] for s in meta_of(book)["sheets"]] == ["text", "text (2)"]


def test_an_area_sheet_shows_the_questions_and_levels_and_unlocks_only_the_answer_cells(real):
    book = load(build_workbook(real, "en", secret=SECRET))
    area = real.areas[0]
    sheet = book[area.name["en"]]
    assert sheet["B1"].value == area.name["en"] and sheet["B1"].font.bold
    assert sheet["B2"].value == area.description["en"] and sheet["B2"].alignment.wrap_text
    header = [c.value for c in sheet[4]]
    assert header[:4] == ["Key", "No.", "Question", "Guidance"]
    assert header[4:9] == [f"{n} {DASH} {real.level_names[n]['en']}" for n in range(1, 6)]
    assert header[9:] == ["Answer", "Confidence", "Evidence", "Comment"]
    for offset, indicator in enumerate(area.indicators):
        row = [c for c in sheet[5 + offset]]
        assert row[0].value == indicator.key
        assert row[1].value == f"1.{offset + 1}"
        assert row[2].value == indicator.question["en"]
        assert row[3].value == indicator.guidance["en"]
        assert [c.value for c in row[4:9]] == [indicator.levels[n]["en"] for n in range(1, 6)]
        assert [c.value for c in row[9:13]] == [None] * 4
        assert [c.protection.locked for c in row[:13]] == [True] * 9 + [False] * 4
    after = 5 + len(area.indicators)
    assert sheet.cell(after, 10).protection.locked is True
    assert sheet.column_dimensions["A"].hidden is True
    assert sheet.protection.sheet is True
    assert sheet.freeze_panes == "D5"
    assert sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4 == "9"
    assert sheet.page_setup.fitToWidth == 1
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.print_title_rows.replace("$", "") == "4:4"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_answer_and_confidence_cells_offer_localised_lists(real, language):
    book = load(build_workbook(real, language, secret=SECRET))
    sheet = book.worksheets[1]
    last = 4 + len(real.areas[0].indicators)
    found = validations(sheet)
    answer, confidence = found[f"J5:J{last}"], found[f"K5:K{last}"]
    assert answer.type == "list" and answer.showErrorMessage
    assert list_values(book, answer.formula1) == answer_labels(language, real)
    expected = {"en": ["low", "medium", "high"], "fr": ["faible", "moyenne", "élevée"]}
    assert list_values(book, confidence.formula1) == expected[language]
    assert answer.error == workbook_texts.labels(language)["answer_error"]
    assert confidence.error == workbook_texts.labels(language)["confidence_error"]
    errors = {
        "en": "Choose a confidence from the list: low, medium or high.",
        "fr": "Choisissez un degré de confiance dans la liste : faible, moyenne ou élevée.",
    }
    assert confidence.error == errors[language]


def test_answer_labels_use_the_level_names_in_each_language(real):
    assert answer_labels("en", real) == [
        f"1 {DASH} Initial",
        f"2 {DASH} Developing",
        f"3 {DASH} Operational",
        f"4 {DASH} Advanced",
        f"5 {DASH} Transformational",
        "Don't know",
        "Not applicable",
    ]
    assert answer_labels("fr", real)[2] == f"3 {DASH} Opérationnel"
    assert answer_labels("fr", real)[5:] == ["Je ne sais pas", "Sans objet"]
    assert answer_labels("fr") == answer_labels("fr", real)


def test_a_comma_in_a_level_name_does_not_split_the_drop_down_entry():
    document = copy.deepcopy(small_document())
    document["levels"][0]["name"] = {"en": "Initial, ad hoc", "fr": "Initial, ponctuel"}
    labels = answer_labels("en", parse_framework(document))
    assert labels[0] == f"1 {DASH} Initial; ad hoc"
    assert all("," not in label for label in labels)


def test_the_respondent_cell_is_unlocked_with_a_prompt(real):
    book = load(build_workbook(real, "en", secret=SECRET))
    sheet = book["Instructions"]
    assert sheet["B8"].protection.locked is False
    assert sheet["A8"].value == "Your e-mail or respondent id"
    rule = validations(sheet)["B8"]
    assert rule.showInputMessage and rule.prompt == "Your e-mail or respondent id"
    assert rule.type is None  # free typing
    assert sheet.protection.sheet is True


def test_the_respondent_cell_lists_the_respondents_when_given(real):
    people = ["ana@example.org", "Ben, Jr.", "=not-a-formula"]
    book = load(build_workbook(real, "fr", secret=SECRET, respondents=people))
    rule = validations(book["Consignes"])["B8"]
    assert rule.type == "list" and rule.showErrorMessage
    assert list_values(book, rule.formula1) == people
    assert rule.prompt == "Votre adresse électronique ou votre identifiant de répondant"


def test_the_instructions_give_the_tool_the_steps_the_levels_and_the_privacy_note(real):
    book = load(build_workbook(real, "fr", secret=SECRET))
    texts = [c for row in book["Consignes"].iter_rows(values_only=True) for c in row if c]
    assert texts[0] == real.title["fr"]
    assert any(real.version in t and "français" in t for t in texts)
    assert workbook_texts.labels("fr")["privacy"] in texts
    assert "Laissez vide une question à laquelle vous ne répondez pas" in " ".join(texts)
    assert all(step in texts for step in workbook_texts.steps("fr"))
    assert all(label in texts for label in answer_labels("fr", real))


def test_every_workbook_text_is_translated_into_french_and_fits_excel():
    english, french = workbook_texts.labels("en"), workbook_texts.labels("fr")
    assert set(english) == set(french) == set(workbook_texts.TEXTS)
    # every text has its own French (the few the two languages write alike are listed)
    alike = {"version", "question"}
    assert [key for key in english if english[key] == french[key]] == sorted(
        alike, key=list(english).index
    )
    assert len(workbook_texts.steps("fr")) == len(workbook_texts.STEPS)
    assert not set(workbook_texts.steps("fr")) & set(workbook_texts.steps("en"))
    assert len(french["respondent_title"]) <= 32  # Excel's title limit


def test_the_meta_sheet_records_the_layout_under_a_checksum(real):
    book = load(build_workbook(real, "en", secret=SECRET, assessment_id="as-1"))
    meta = meta_of(book)
    assert meta["layout"] == LAYOUT
    assert (meta["framework_key"], meta["framework_version"]) == (real.key, real.version)
    assert meta["language"] == "en"
    assert meta["assessment_id"] == "as-1"
    assert meta["respondent_cell"] == "Instructions!B8"
    assert [s["area"] for s in meta["sheets"]] == [a.key for a in real.areas]
    for sheet, area in zip(meta["sheets"], real.areas, strict=True):
        assert sheet["title"] in book.sheetnames
        assert sheet["first_row"] == 5
        assert sheet["indicators"] == [i.key for i in area.indicators]
    assert meta["checksum"] == layout_checksum(meta, SECRET)
    assert meta["checksum"] != layout_checksum(meta, b"another secret")


def test_a_workbook_without_assessment_records_an_empty_id_and_the_french_cell(real):
    meta = meta_of(load(build_workbook(real, "fr", secret=SECRET)))
    assert meta["assessment_id"] == ""
    assert meta["respondent_cell"] == "Consignes!B8"


def test_the_checksum_ignores_key_order_and_itself_but_not_any_value():
    meta = {"layout": LAYOUT, "sheets": [{"title": "A", "indicators": ["x", "y"]}]}
    reordered = {"sheets": meta["sheets"], "layout": LAYOUT, "checksum": "anything"}
    assert layout_checksum(meta, SECRET) == layout_checksum(reordered, SECRET)
    changed = {"layout": LAYOUT, "sheets": [{"title": "A", "indicators": ["y", "x"]}]}
    assert layout_checksum(meta, SECRET) != layout_checksum(changed, SECRET)
    assert len(layout_checksum(meta, SECRET)) == 64


def test_framework_text_that_looks_like_a_formula_is_written_as_text():
    document = copy.deepcopy(small_document())
    document["areas"][0]["indicators"][0]["question"] = {"en": "=1+1", "fr": "=1+1"}
    book = load(build_workbook(parse_framework(document), "en", secret=SECRET))
    cell = book["text"]["C5"]
    assert cell.value == "=1+1"
    assert cell.data_type == "s"
    assert cell.quotePrefix is True


def test_the_csv_template_has_the_documented_header_and_one_row_per_indicator(real):
    text = build_csv(real, "fr")
    assert not text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(CSV_COLUMNS)
    assert ",".join(rows[0]) == (
        "respondent,indicator,answer,confidence,evidence,comment,area,question,"
        "level_1,level_2,level_3,level_4,level_5"
    )
    assert [r[1] for r in rows[1:]] == [i.key for i in real.indicators]
    first = real.indicators[0]
    assert rows[1][:6] == ["", first.key, "", "", "", ""]
    assert rows[1][6] == real.areas[0].name["fr"]
    assert rows[1][7] == first.question["fr"]
    assert rows[1][8:] == [first.levels[n]["fr"] for n in range(1, 6)]


def test_the_csv_template_keeps_formula_like_text_inert():
    document = copy.deepcopy(small_document())
    document["areas"][0]["indicators"][0]["question"] = {"en": "=HYPERLINK()", "fr": "-x"}
    rows = list(csv.reader(io.StringIO(build_csv(parse_framework(document), "en"))))
    assert rows[1][7] == "'=HYPERLINK()"


def test_the_json_template_lists_the_indicators_and_one_empty_respondent(real):
    document = build_json(real, "en")
    assert json.loads(json.dumps(document)) == document
    assert document["format"] == LAYOUT
    assert document["framework"] == {"key": real.key, "version": real.version}
    assert document["language"] == "en"
    first = document["indicators"][0]
    indicator = real.indicators[0]
    assert first == {
        "key": indicator.key,
        "area": real.areas[0].name["en"],
        "question": indicator.question["en"],
        "guidance": indicator.guidance["en"],
        "levels": {str(n): indicator.levels[n]["en"] for n in range(1, 6)},
    }
    (respondent,) = document["respondents"]
    assert respondent["respondent"] == ""
    assert [a["indicator"] for a in respondent["answers"]] == [i.key for i in real.indicators]
    assert respondent["answers"][0] == {
        "indicator": indicator.key,
        "answer": None,
        "confidence": None,
        "evidence": "",
        "comment": "",
    }


@pytest.mark.parametrize(
    "build",
    [
        lambda f: build_workbook(f, "de", secret=SECRET),
        lambda f: build_csv(f, "de"),
        lambda f: build_json(f, "de"),
        lambda f: answer_labels("de", f),
    ],
)
def test_an_unknown_language_is_refused(framework, build):
    with pytest.raises(ValueError, match="unknown language"):
        build(framework)
