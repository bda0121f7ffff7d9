"""The report files themselves: HTML, PDF (read back with pdftotext) and XLSX (openpyxl)."""

import io
import json
import re
import subprocess
from html import unescape
from pathlib import Path

import pytest
from openpyxl import load_workbook

from reports.builder import ReportDataError, build_files, filename, level_name, render_html

DATA = Path(__file__).parent.parent / "fixtures" / "submission.json"
AREA_NAMES = {
    "en": ["Strategy", "Governance", "Data", "Human skills", "Legal and ethical"],
    "fr": ["Stratégie", "Gouvernance", "Données", "Compétences humaines", "Juridique et éthique"],
}
RESOURCES = [
    {
        "item_id": "res-legal",
        "kind": "guide",
        "visibility": "public",
        "languages": ["en", "fr"],
        "titles": {"en": "Legal basis for risk scoring", "fr": "Base juridique du ciblage"},
        "tags": ["legal", "data-protection"],
        "url": "/resources/legal-basis",
    },
    {
        "item_id": "res-members",
        "kind": "case-study",
        "visibility": "members",
        "languages": ["fr"],
        "titles": {"fr": "Étude de cas : cellule d'analyse"},
        "tags": ["analytics"],
        "url": "https://portal.example/members/cellule",
    },
]


def _html(data, language="en") -> str:
    return render_html(data, language).content.decode("utf-8")


def _text(page: str) -> str:
    """Return the visible text of a page, ASCII whitespace collapsed (no-break spaces kept)."""
    body = page[max(page.find("<body>"), 0) :]
    return re.sub(r"[ \t\r\n]+", " ", unescape(re.sub(r"<[^>]+>", " ", body))).strip()


def _pdf_text(pdf: bytes, tmp_path: Path, *pages: int) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    args = ["pdftotext", "-enc", "UTF-8"]
    if pages:
        args += ["-f", str(pages[0]), "-l", str(pages[-1])]
    out = subprocess.run([*args, str(path), "-"], capture_output=True, check=True).stdout
    return " ".join(out.decode("utf-8").split())


def _page_count(pdf: bytes, tmp_path: Path) -> int:
    path = tmp_path / "count.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))


def _radar_fill_pixels(pdf: bytes, tmp_path: Path, page: int) -> int:
    """Rasterize one page and count the pixels of the radar's translucent blue fill."""
    path = tmp_path / "radar.pdf"
    path.write_bytes(pdf)
    ppm = subprocess.run(
        ["pdftoppm", "-f", str(page), "-l", str(page), "-r", "40", str(path)],
        capture_output=True,
        check=True,
    ).stdout
    _magic, width, height, _max, pixels = ppm.split(maxsplit=4)
    assert _magic == b"P6"
    count = 0
    for i in range(0, int(width) * int(height) * 3, 3):
        r, g, b = pixels[i], pixels[i + 1], pixels[i + 2]
        # #0b5394 at 25 % over white is about (194, 212, 228)
        if abs(r - 194) < 14 and abs(g - 212) < 14 and abs(b - 228) < 14:
            count += 1
    return count


@pytest.fixture(scope="module")
def realistic():
    return json.loads(DATA.read_text(encoding="utf-8"))


@pytest.fixture(scope="module", params=["en", "fr"])
def built(request, realistic):
    files = build_files(
        realistic, request.param, resources=RESOURCES, public_url="https://smartcustoms.example"
    )
    return request.param, {file.format: file for file in files}


# -- the three formats of a realistic report (made as the assessment service makes it) -------
def test_a_report_comes_in_html_pdf_and_xlsx_with_safe_names(built):
    language, files = built
    assert list(files) == ["html", "pdf", "xlsx"]
    assert files["pdf"].media_type == "application/pdf"
    assert files["pdf"].content.startswith(b"%PDF-")
    assert files["xlsx"].filename == (
        f"direction-generale-des-douanes-et-droits-auto-evaluation-2027-n-7-v2-{language}.xlsx"
    )


def test_the_pdf_holds_area_names_and_recommendations_in_the_reports_language(
    built, realistic, tmp_path
):
    language, files = built
    text = _pdf_text(files["pdf"].content, tmp_path)
    for name in AREA_NAMES[language]:
        assert name in text
    for priority in realistic["priorities"][:5]:
        assert " ".join(priority["text"][language].split()) in text
    other = "fr" if language == "en" else "en"
    assert " ".join(realistic["priorities"][0]["text"][other].split()) not in text
    assert realistic["administration_name"] in text
    assert ("8 March 2026" if language == "en" else "8 mars 2026") in text
    assert ("not a benchmark" if language == "en" else "non d'un référentiel") in text


def test_the_pdf_has_a_cover_a_summary_a_profile_and_a_page_per_area(built, tmp_path):
    language, files = built
    pdf = files["pdf"].content
    # cover, summary, profile, six areas, recommendations, roadmap: at least eleven pages
    assert _page_count(pdf, tmp_path) >= 11
    cover = _pdf_text(pdf, tmp_path, 1)
    assert "Auto-évaluation 2027" in cover
    assert ("Executive summary" if language == "en" else "Synthèse") in _pdf_text(pdf, tmp_path, 2)


def test_the_radar_is_inline_svg_in_the_html_and_drawn_in_the_pdf(built, tmp_path):
    language, files = built
    page = files["html"].content.decode()
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert '<polygon class="value"' in svg
    assert '<polygon class="target"' in svg
    assert "Stratégie" in svg if language == "fr" else "Strategy" in svg
    pdf = files["pdf"].content
    heading = "Profile by area" if language == "en" else "Profil par domaine"
    profile = next(
        n for n in range(1, 6) if heading in _pdf_text(pdf, tmp_path, n)
    )  # the page that has the chart
    assert _radar_fill_pixels(pdf, tmp_path, profile) > 300
    assert _radar_fill_pixels(pdf, tmp_path, 1) == 0  # the cover has no chart


def test_the_workbook_holds_scores_answers_priorities_and_roadmap(built, realistic):
    language, files = built
    book = load_workbook(io.BytesIO(files["xlsx"].content))
    expected = {
        "en": ["Scores", "Answers", "Priorities", "Roadmap"],
        "fr": ["Résultats", "Réponses", "Priorités", "Feuille de route"],
    }[language]
    assert book.sheetnames == expected
    scores = book[expected[0]]
    rows = {row[0]: row for row in scores.iter_rows(min_row=2, values_only=True) if row[0]}
    for area in realistic["areas"]:
        row = rows[area["name"][language]]
        assert row[1] == pytest.approx(area["level"], abs=0.005)
        assert row[4] == area["target"]
    answers = list(book[expected[1]].iter_rows(min_row=2, values_only=True))
    assert len(answers) == sum(len(a["explanation"]) for a in realistic["details"]["areas"])
    commented = next(a for a in realistic["answers"] if any(r["comment"] for r in a["responses"]))
    row = next(r for r in answers if r[1] == commented["indicator"])
    assert row[2] == commented["question"][language]
    assert next(r["comment"] for r in commented["responses"] if r["comment"]) in row[9]
    priorities = list(book[expected[2]].iter_rows(min_row=2, values_only=True))
    assert [p[0] for p in priorities] == sorted(p["rank"] for p in realistic["priorities"])
    assert priorities[0][2] == realistic["priorities"][0]["text"][language]
    roadmap = list(book[expected[3]].iter_rows(min_row=2, values_only=True))
    assert len(roadmap) == sum(len(v) for v in realistic["details"]["roadmap"].values())


def test_recommendations_point_to_matching_portal_resources(built):
    language, files = built
    page = files["html"].content.decode()
    recommendations = page[page.index('id="recommendations"') : page.index('id="progress"')]
    assert '<a href="https://smartcustoms.example/resources/legal-basis">' in recommendations
    members = "members' area" if language == "en" else "espace membres"
    assert "https://portal.example/members/cellule" in recommendations
    assert members in _text(recommendations)


def test_each_area_page_explains_its_level_and_lists_dont_know_and_disagreements(built, realistic):
    language, files = built
    page = files["html"].content.decode()
    questions = {a["indicator"]: a["question"][language] for a in realistic["answers"]}
    for detail in realistic["details"]["areas"]:
        start = page.index(f'id="area-{detail["area"]}"')
        section = _text(page[start : page.index("</section>", start)])
        assert ("Why this level" if language == "en" else "Pourquoi ce niveau") in section
        for key in detail["dont_know"]:
            assert questions[key] in section
        explained = {row["indicator"] for row in detail["explanation"]}
        for key in set(realistic["details"]["disagreements"]) & explained:
            assert questions[key] in section


def test_progress_since_the_previous_assessment_is_shown_when_known(built, realistic):
    language, files = built
    page = _text(files["html"].content.decode())
    heading = (
        "Progress since the previous assessment"
        if language == "en"
        else "Évolution depuis l'évaluation précédente"
    )
    assert heading in page
    details = {**realistic["details"], "progress": None}
    without = _text(_html({**realistic, "details": details}, language))
    assert heading not in without


def test_building_twice_gives_the_same_bytes_in_every_format(realistic):
    first = build_files(realistic, "fr")
    assert first == build_files(realistic, "fr")


def test_a_formula_typed_in_a_comment_stays_text_in_the_workbook(realistic):
    answers = [dict(realistic["answers"][0])]
    answers[0]["responses"] = [{"value": 2, "confidence": None, "comment": "=HYPERLINK(1)"}]
    (xlsx,) = build_files({**realistic, "answers": answers}, "en", formats=("xlsx",))
    sheet = load_workbook(io.BytesIO(xlsx.content))["Answers"]
    cell = next(row[9] for row in sheet.iter_rows(min_row=2) if row[9].value)
    assert (cell.value, cell.data_type) == ("=HYPERLINK(1)", "s")


DIRTY = "Plan\x00 \x08\x15\x1b\x7f\x85\x9f\ud800 fin\r\nnext"  # every class the text rule refuses


@pytest.mark.parametrize("language", ["en", "fr"])
def test_user_text_holding_every_forbidden_character_still_builds_every_format(
    realistic, language, tmp_path
):
    answers = [dict(answer) for answer in realistic["answers"]]
    answers[0]["responses"] = [{"value": 2, "confidence": None, "comment": f"-{DIRTY}"}]
    dirty = {**realistic, "title": DIRTY, "administration_name": DIRTY, "answers": answers}
    files = {f.format: f for f in build_files(dirty, language, resources=RESOURCES)}
    assert set(files) == {"html", "pdf", "xlsx"}
    assert "Plan \ufffd fin" in _text(files["html"].content.decode("utf-8"))
    assert "Plan" in _pdf_text(files["pdf"].content, tmp_path, 1)
    book = load_workbook(io.BytesIO(files["xlsx"].content))
    assert book.properties.title.startswith("Plan \ufffd fin")
    sheet = book[book.sheetnames[1]]
    cell = next(row[9] for row in sheet.iter_rows(min_row=2) if row[9].value)
    assert cell.value.startswith("-Plan \ufffd fin")
    assert (cell.data_type, cell.quotePrefix) == ("s", True)


# -- the HTML of small hand-made data --------------------------------------------------------
def test_english_report_shows_the_facts_scores_priorities_and_disclaimer(submission_data):
    page = _html(submission_data())
    assert '<html lang="en">' in page
    assert "<h1>Readiness 2026</h1>" in page
    text = _text(page)
    assert "Douanes du Testland" in text
    assert "4 March 2026" in text
    assert "ai-ml-readiness 1.0" in text
    assert "Scores by area" in text
    assert "2.4 (Developing)" in text
    assert "35%" in text
    assert "Overall (indicative)" in text
    assert "0\u20136 months · First steps and quick wins" in text
    assert "Prioritized recommendations and roadmap" in text
    assert "not a benchmark" in text


def test_french_report_uses_french_texts_and_number_format(submission_data):
    page = _html(submission_data(), "fr")
    assert '<html lang="fr">' in page
    text = _text(page)
    assert "Rapport d'auto-évaluation" in text
    assert "4 mars 2026" in text
    assert "Résultats par domaine" in text
    assert "Stratégie" in text
    assert "2,4 (En développement)" in text
    assert "35\u202f%" in text
    assert "Ensemble (indicatif)" in text
    assert "Inscrire l'IA dans le plan stratégique" in text
    assert "6\u201318 mois · Consolidation" in text
    assert "Effort\u00a0: " not in text  # no effort known in this small data
    assert "non d'un référentiel de comparaison" in text
    assert "not a benchmark" not in text


def test_priorities_are_listed_by_rank(submission_data):
    page = _html(submission_data())
    assert page.index("Put AI in the strategic plan") < page.index("Automate data quality")


def test_user_text_is_escaped(submission_data):
    data = submission_data(
        title="<script>alert(1)</script>",
        administration_name="A & B <b>",
        areas=[{"area": "x", "name": {"en": "<img src=x onerror=alert(1)>"}, "level": 2.0}],
        priorities=[
            {"indicator": "i", "area": "x", "rank": 1, "text": {"en": '"><script>steal()</script>'}}
        ],
    )
    page = _html(data)
    assert "<script" not in page
    assert "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "A &amp; B &lt;b&gt;" in page


def test_sections_without_data_are_left_out(submission_data):
    page = _html(submission_data(areas=[], priorities=[], overall=None))
    assert "Scores by area" not in page
    assert "<svg" not in page
    assert "Progress since" not in page
    assert "every answer meets its target" in _text(page)
    assert "not a benchmark" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"areas": [{"area": "data", "level": 7.0}]}, "level 7.0 is outside 1-5"),
        ({"areas": [{"area": "data", "percentage": 250.0}]}, "percentage 250.0 is outside 0-100"),
        ({"areas": [{"area": "data", "coverage": 1.5}]}, "coverage 1.5 is outside 0-1"),
        ({"overall": 0.2}, "overall level"),
        ({"submitted_at": "last tuesday"}, "not an ISO 8601 date"),
        ({"title": "  "}, "title is missing"),
        ({"answers": "everything"}, "answers must be a list"),
    ],
)
def test_data_that_cannot_make_an_honest_report_is_rejected(submission_data, overrides, message):
    with pytest.raises(ReportDataError, match=message):
        build_files(submission_data(**overrides), "en")


def test_unsupported_language_is_rejected(submission_data):
    with pytest.raises(ReportDataError):
        build_files(submission_data(), "de")


def test_files_have_safe_ascii_names_and_media_types(submission_data):
    data = submission_data(title="Évaluation 2026 / «IA»", administration_name="Douanes d'Île")
    html, pdf, xlsx = build_files(data, "fr")
    assert html.filename == "douanes-d-ile-evaluation-2026-ia-v1-fr.html"
    assert html.media_type == "text/html; charset=utf-8"
    assert pdf.filename == "douanes-d-ile-evaluation-2026-ia-v1-fr.pdf"
    assert xlsx.filename == "douanes-d-ile-evaluation-2026-ia-v1-fr.xlsx"
    assert filename({"title": "<>", "version": 2}, "en", "html") == "report-v2-en.html"
    unnamed = {"title": "Évaluation", "version": 3, "administration_id": "ea5a6d84-0000"}
    assert filename(unnamed, "fr", "pdf") == "evaluation-v3-fr.pdf"  # never the id


@pytest.mark.parametrize(
    ("language", "unnamed"), [("en", "your administration"), ("fr", "votre administration")]
)
def test_a_report_without_a_known_name_never_shows_the_administration_id(
    submission_data, language, unnamed
):
    data = {**submission_data(), "administration_id": "ea5a6d84-1111-2222"}
    data.pop("administration_name", None)
    html = render_html(data, language).content.decode()
    assert "ea5a6d84" not in html
    assert f"<dd>{unnamed}</dd>" in html


def test_a_level_is_named_only_once_fully_reached():
    assert level_name(2.9, "en") == "Developing"
    assert level_name(3.0, "fr") == "Opérationnel"
    assert level_name(5.0, "en") == "Transformational"
