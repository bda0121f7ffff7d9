import pytest

from reports.builder import ReportDataError, build_files, filename, level_name, render_html


def _html(data, language="en") -> str:
    return render_html(data, language).content.decode("utf-8")


def test_english_report_shows_the_facts_scores_priorities_and_disclaimer(submission_data):
    page = _html(submission_data())
    assert '<html lang="en">' in page
    assert "<h1>Readiness 2026</h1>" in page
    assert "Douanes du Testland" in page
    assert "4 March 2026" in page
    assert "ai-ml-readiness 1.0" in page
    assert "Scores by area" in page
    assert "2.4 (Developing)" in page
    assert "35%" in page
    assert "4.0 (Advanced)" in page
    assert "Overall (indicative)" in page
    assert "Horizon: 0\u20136 months" in page
    assert "not a benchmark" in page


def test_french_report_uses_french_texts_and_number_format(submission_data):
    page = _html(submission_data(), "fr")
    assert '<html lang="fr">' in page
    assert "Rapport d'auto-évaluation" in page
    assert "4 mars 2026" in page
    assert "Résultats par domaine" in page
    assert "Stratégie" in page
    assert "2,4 (En développement)" in page
    assert "35\u202f%" in page
    assert "Ensemble (indicatif)" in page
    assert "Inscrire l'IA dans le plan stratégique" in page
    assert "6\u201318 mois" in page
    assert "non d'un référentiel de comparaison" in page
    assert "not a benchmark" not in page


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
    assert "Priorities" not in page
    assert "not a benchmark" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"areas": [{"area": "data", "level": 7.0}]}, "level 7.0 is outside 1-5"),
        ({"areas": [{"area": "data", "percentage": 250.0}]}, "percentage 250.0 is outside 0-100"),
        ({"overall": 0.2}, "overall level"),
        ({"submitted_at": "last tuesday"}, "not an ISO 8601 date"),
        ({"title": "  "}, "title is missing"),
    ],
)
def test_data_that_cannot_make_an_honest_report_is_rejected(submission_data, overrides, message):
    with pytest.raises(ReportDataError, match=message):
        build_files(submission_data(**overrides), "en")


def test_unsupported_language_is_rejected(submission_data):
    with pytest.raises(ReportDataError):
        build_files(submission_data(), "de")


def test_building_twice_gives_the_same_bytes(submission_data):
    assert build_files(submission_data(), "fr") == build_files(submission_data(), "fr")


def test_files_have_safe_ascii_names_and_html_media_type(submission_data):
    (html,) = build_files(submission_data(title="Évaluation 2026 / «IA»"), "fr")
    assert html.filename == "evaluation-2026-ia-v1-fr.html"
    assert html.media_type == "text/html; charset=utf-8"
    assert filename({"title": "<>", "version": 2}, "en", "html") == "report-v2-en.html"


def test_a_level_is_named_only_once_fully_reached():
    assert level_name(2.9, "en") == "Developing"
    assert level_name(3.0, "fr") == "Opérationnel"
    assert level_name(5.0, "en") == "Transformational"
