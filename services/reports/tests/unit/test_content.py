"""What a report says, before layout: area pages, resources, roadmap, progress, summary."""

import re
from pathlib import Path

import pytest

from reports.content import compose, match_resources
from reports.wording import LABELS, labels

T = {"en": "text", "fr": "texte"}


def _question(key):
    return {"en": f"Question {key}?", "fr": f"Question {key}\u00a0?"}


def _explanation(key, answer, *, note="answered", weight=1.0, critical=False):
    counted = 1.0 if answer == "dont_know" else (None if answer is None else float(answer))
    return {
        "indicator": key,
        "answer": answer,
        "counted_as": counted,
        "weight": weight,
        "critical": critical,
        "note": note,
    }


@pytest.fixture
def data(submission_data):
    """A data area with a cap, strengths, gaps, a "don't know" and a disagreement."""
    rows = [
        _explanation("data.a", 5, weight=1.0),
        _explanation("data.b", 4, weight=2.0),
        _explanation("data.c", 4, weight=1.0),
        _explanation("data.d", 3),
        _explanation("data.e", 1, note="caps_area", critical=True),
        _explanation("data.f", 2, weight=2.0),
        _explanation("data.g", "dont_know", note="dont_know"),
        _explanation("data.h", None, note="unanswered"),
    ]
    answers = [
        {
            "indicator": row["indicator"],
            "area": "data",
            "question": _question(row["indicator"]),
            "value": row["answer"],
            "critical": row["critical"],
            "responses": [
                {"value": row["answer"] or 1, "confidence": None, "comment": ""},
                {"value": 5, "confidence": "low", "comment": "Le tableau est à jour"},
            ]
            if row["indicator"] == "data.f"
            else [],
        }
        for row in rows
        if row["answer"] is not None
    ]
    details = {
        "areas": [
            {
                "area": "data",
                "level_name": {"en": "Initial", "fr": "Initial"},
                "raw_score": 3.0,
                "cap": {"indicator": "data.e", "answer": 1, "limit": 2.0},
                "applicable": 8,
                "answered": 7,
                "dont_know": ["data.g"],
                "not_applicable": [],
                "unanswered": ["data.h"],
                "explanation": rows,
            }
        ],
        "disagreements": ["data.f", "strategy.elsewhere"],
        "progress": {"data": 0.5, "strategy": None},
        "priorities": [],
        "roadmap": {},
    }
    return submission_data(
        areas=[
            {
                "area": "strategy",
                "name": {"en": "Strategy", "fr": "Stratégie"},
                "level": 2.4,
                "target": 3.0,
            },
            {
                "area": "data",
                "name": {"en": "Data", "fr": "Données"},
                "level": 2.0,
                "percentage": 25.0,
                "target": 4.0,
                "coverage": 0.875,
                "confidence": 0.55,
            },
        ],
        details=details,
        answers=answers,
    )


def _area(report, key):
    return next(area for area in report.areas if area.key == key)


def test_strengths_are_the_highest_answers_of_level_three_or_more(data):
    area = _area(compose(data, "en"), "data")
    assert [line.indicator for line in area.strengths] == ["data.a", "data.b", "data.c"]
    assert area.strengths[0].answer == "5 \u2014 Transformational"
    assert area.strengths[0].question == "Question data.a?"


def test_gaps_are_answers_below_target_widest_and_critical_first(data):
    area = _area(compose(data, "en"), "data")
    assert [line.indicator for line in area.gaps] == ["data.e", "data.f", "data.d"]
    assert area.gaps[0].critical is True


def test_dont_know_answers_and_disagreements_of_the_area_are_listed(data):
    area = _area(compose(data, "fr"), "data")
    assert [line.indicator for line in area.dont_know] == ["data.g"]
    assert area.dont_know[0].answer == "Ne sait pas"
    (disagreement,) = area.disagreements
    assert disagreement.indicator == "data.f"
    assert disagreement.responses == ("2 \u2014 En développement", "5 \u2014 Transformationnel")
    assert disagreement.comments == ("Le tableau est à jour",)
    assert _area(compose(data, "fr"), "strategy").disagreements == ()


def test_why_this_level_tells_the_mean_the_cap_and_what_is_missing(data):
    why = _area(compose(data, "en"), "data").why
    assert why[0].startswith("The score of 2.0 is the weighted mean of the answers to 7 of the")
    assert "level 2 (Developing)" in why[1]
    assert "capped at 2.0: the critical question “Question data.e?” was answered 1" in why[2]
    assert "Without the cap the score would be 3.0." in why[2]
    assert why[3] == "1 question was not answered."
    french = _area(compose(data, "fr"), "data").why
    assert (
        "plafonné à 2,0\u00a0: la question critique «\u00a0Question data.e\u00a0?\u00a0»"
        in (french[2])
    )


def test_a_critical_dont_know_caps_the_area_and_is_neither_strength_nor_gap(data):
    detail = data["details"]["areas"][0]
    detail["explanation"][4] = _explanation("data.e", "dont_know", note="caps_area", critical=True)
    detail["cap"] = {"indicator": "data.e", "answer": "dont_know", "limit": 2.0}
    area = _area(compose(data, "en"), "data")
    assert "data.e" not in [line.indicator for line in (*area.strengths, *area.gaps)]
    assert "“Question data.e?” was answered Don't know" in area.why[2]


def test_an_area_without_answers_says_no_level_can_be_given(submission_data):
    report = compose(submission_data(areas=[{"area": "legal", "name": T}]), "fr")
    (area,) = report.areas
    assert area.level_shown == "non renseigné"
    assert area.why == (
        "Aucune question de ce domaine n'a reçu de réponse\u00a0: aucun niveau ne peut être donné.",
    )


def test_coverage_confidence_and_progress_are_written_the_languages_way(data):
    english = _area(compose(data, "en"), "data")
    assert (english.coverage_shown, english.confidence_shown) == ("88%", "55% (medium)")
    assert (english.progress_shown, english.previous_shown) == ("+0.5", "1.5")
    french = compose(data, "fr")
    area = _area(french, "data")
    assert (area.coverage_shown, area.confidence_shown) == ("88\u202f%", "55\u202f% (moyenne)")
    assert _area(french, "strategy").progress_shown == "non comparable"
    assert french.has_progress is True


def test_the_summary_names_the_strongest_and_the_furthest_areas(data):
    summary = compose(data, "en").summary
    assert summary[0].startswith("Taken together, the 2 areas give an indicative level of 2.7")
    assert "The strongest area is Strategy (level 2.4)." in summary
    assert "The area furthest from its target is Data: level 2.0 for a target of 4.0." in summary
    assert "2 of 2 areas are below their target level." in summary
    assert "Respondents disagreed widely on 2 questions: see the area pages." in summary
    assert "Since the previous assessment, 1 area improved and 0 declined." in summary
    assert summary[-1].startswith("2 recommendations are prioritized")


def test_the_roadmap_follows_the_results_phases_or_else_the_horizons(submission_data):
    plain = compose(submission_data(), "en")
    assert [[p.rank for p in phase.items] for phase in plain.phases] == [[1], [2], []]
    assert plain.phases[1].title == "6\u201318 months"
    details = {
        "priorities": [
            {"indicator": "data.quality", "rank": 2, "quick_win": True,
             "recommendation": {"key": "data.quality.auto", "effort": "low"}},
            {"indicator": "strategy.plan", "rank": 1,
             "recommendation": {"key": "strategy.plan.write", "effort": "high"}},
        ],
        "roadmap": {"0-6": ["data.quality.auto"], "6-18": [], "18-36": ["strategy.plan.write"]},
    }  # fmt: skip
    report = compose(submission_data(details=details), "fr")
    assert [[p.rank for p in phase.items] for phase in report.phases] == [[2], [], [1]]
    assert report.priorities[1].quick_win is True
    assert report.priorities[0].effort == "élevé"


RESOURCES = [
    {"item_id": "a", "visibility": "public", "tags": ["data-quality"], "titles": {"en": "A"},
     "languages": ["en"], "url": "/r/a", "kind": "guide"},
    {"item_id": "b", "visibility": "members", "tags": ["data-quality", "strategy"],
     "titles": {"en": "B", "fr": "B fr"}, "languages": ["en", "fr"], "url": "https://x.example/b",
     "kind": "case-study"},
    {"item_id": "c", "visibility": "draft", "tags": ["data-quality"], "titles": {"en": "C"},
     "languages": ["en"], "url": "/r/c", "kind": "guide"},
    {"item_id": "d", "visibility": "public", "tags": ["DATA-QUALITY"], "titles": {"en": "D"},
     "languages": ["fr"], "url": "javascript:alert(1)", "kind": "tool"},
    {"item_id": "e", "visibility": "public", "tags": ["cloud"], "titles": {"en": "E"},
     "languages": ["en"], "url": "/r/e", "kind": "guide"},
]  # fmt: skip


def test_resources_match_by_tag_most_shared_tags_first_then_the_language():
    links = match_resources(["data-quality", "strategy"], RESOURCES, "en", "https://p.example/")
    assert [link.title for link in links] == ["B", "A", "D"]
    assert links[0].members_only is True
    assert links[1].url == "https://p.example/r/a"
    assert links[2].url == ""  # never a javascript: link
    french = match_resources(["data-quality"], RESOURCES, "fr")
    assert [link.title for link in french] == ["B fr", "D", "A"]
    assert french[2].url == ""  # relative and no public URL known


def test_only_public_and_members_resources_are_suggested_at_most_three():
    many = [{**RESOURCES[0], "item_id": f"r{n}", "titles": {"en": f"R{n}"}} for n in range(5)]
    assert len(match_resources(["data-quality"], many, "en")) == 3
    assert match_resources(["data-quality"], [RESOURCES[2]], "en") == ()
    assert match_resources([], RESOURCES, "en") == ()


def test_every_label_the_report_template_reads_exists_and_is_translated():
    template = Path(__file__).parents[2] / "reports" / "templates" / "report" / "report.html"
    used = set(re.findall(r"\bt\.(\w+)", template.read_text(encoding="utf-8")))
    used |= set(re.findall(r"\bt\[\"([\w.]+)\"\]", template.read_text(encoding="utf-8")))
    assert used and used <= LABELS.keys()
    english, french = labels("en"), labels("fr")
    assert all(french[key].strip() for key in LABELS)
    assert (english["heading"], french["heading"]) == (
        "Self-assessment report",
        "Rapport d'auto-évaluation",
    )
    assert (french["effort.medium"], french["confidence.medium"]) == ("moyen", "moyenne")
