"""The report's peer section from the distribution the job found (pure): per area the own score
beside the cut points, nothing without a distribution, and bad data refused; and the executive
summary repeats the progress line."""

import json
from pathlib import Path

import pytest

from reports.builder import ReportDataError, build_files
from reports.content import compose
from reports.peer_section import DATA_KEY, compose_peer_section

DATA = json.loads((Path(__file__).parent.parent / "fixtures" / "submission.json").read_text())
SHOWN = {
    "region": "esa",
    "areas": [{"area": "data", "first_quartile": 2.0, "median": 3.25, "third_quartile": 4.0}],
    "computed_at": "2026-12-01T10:00:00Z",
}


def _areas(language="en"):
    return compose(DATA, language).areas


def test_without_a_distribution_there_is_no_section():
    assert compose_peer_section(DATA, "en", _areas()) is None
    assert compose_peer_section({**DATA, DATA_KEY: None}, "en", _areas()) is None


def test_each_area_shows_its_own_score_beside_the_published_cut_points():
    section = compose_peer_section({**DATA, DATA_KEY: SHOWN}, "en", _areas())
    assert section is not None
    assert section.region_shown == "East and Southern Africa"
    data = next(a for a in section.areas if a.key == "data")
    assert (data.own, data.first_quartile, data.median, data.third_quartile) == (
        4.39,
        2.0,
        3.25,
        4.0,
    )
    assert (data.own_shown, data.median_shown) == ("4.4", "3.25")
    others = [a for a in section.areas if a.key != "data"]
    assert others and all(not a.published and a.median_shown == "" for a in others)
    assert [a.key for a in section.areas] == [a.key for a in _areas()]


def test_the_texts_are_in_the_reports_language_with_the_reminder():
    section = compose_peer_section({**DATA, DATA_KEY: SHOWN}, "fr", _areas("fr"))
    assert section is not None
    assert section.texts["heading"] == "Vos scores à côté de la distribution régionale"
    assert section.texts["reminder"].startswith("Ce n'est pas un classement de référence")
    assert section.region_shown == "Afrique orientale et australe"
    assert next(a for a in section.areas if a.key == "data").median_shown == "3,25"
    pt = compose_peer_section({**DATA, DATA_KEY: SHOWN}, "pt", _areas("pt"))
    assert pt is not None and pt.texts["median"] == "Mediana regional"


@pytest.mark.parametrize(
    "shown",
    [
        {"region": "atlantis", "areas": []},
        {"region": "esa", "areas": "data"},
        {
            "region": "esa",
            "areas": [{"area": "data", "median": 9, "first_quartile": 1, "third_quartile": 2}],
        },
        "esa",
    ],
)
def test_impossible_distribution_data_is_refused(shown):
    with pytest.raises(ReportDataError):
        compose_peer_section({**DATA, DATA_KEY: shown}, "en", _areas())


def test_the_html_carries_no_count_and_no_rank():
    (page,) = build_files({**DATA, DATA_KEY: SHOWN}, "en", formats=("html",))
    section = page.content.decode().split('id="peers"')[1].split("</section>")[0]
    assert "Administrations" not in section and "Rank" not in section
    assert "3.25" in section and "Not a benchmark" in section


PROGRESS = {
    "previous": {
        "assessment_id": "asm-0",
        "title": "Readiness 2025",
        "submitted_at": "2025-03-04T10:00:00+00:00",
    },
    "indicators": [
        {
            "indicator": "data.quality",
            "area": "data",
            "level_then": 1,
            "level_now": 3,
            "change": 2.0,
            "actions": [],
        }
    ],
}
LINE = (
    "Since the previous assessment, 1 indicator moved up, 0 stayed at the same level and 0 moved "
    "down. The previous plan had no action for these indicators."
)


def test_the_executive_summary_repeats_the_progress_line():
    (page,) = build_files({**DATA, "progress": PROGRESS}, "en", formats=("html",))
    summary = page.content.decode().split('id="summary"')[1].split("</section>")[0]
    assert LINE in summary


def test_without_progress_the_executive_summary_has_no_progress_line():
    (page,) = build_files(DATA, "en", formats=("html",))
    summary = page.content.decode().split('id="summary"')[1].split("</section>")[0]
    assert "summary-progress" not in summary
