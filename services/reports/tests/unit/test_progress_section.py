"""The report's progress by indicator since the previous assessment (issue 16): built from the
optional ``progress`` of ``assessment.submitted``, shown in the HTML, the PDF and a sheet of
the workbook, and absent altogether when the payload carries none."""

import copy
import io
import json
import re
import subprocess
from html import unescape
from pathlib import Path

import pytest
from openpyxl import load_workbook

from reports.builder import build_files
from reports.content import compose
from shared.events import load_payload, new_event

DATA = json.loads((Path(__file__).parent.parent / "fixtures" / "submission.json").read_text())

# The fixture's areas are strategy, governance, data, technical, skills, legal: the payload
# lists data first, so the section must follow the report's order, not the payload's.
PROGRESS = {
    "previous": {
        "assessment_id": "asm-2025",
        "title": "Auto-évaluation 2025",
        "submitted_at": "2025-03-01T10:00:00+00:00",
    },
    "indicators": [
        {
            "indicator": "data.electronic",
            "area": "data",
            "level_then": 1,
            "level_now": 3,
            "change": 2.0,
            "actions": [
                {
                    "id": "act-1",
                    "title": "Data dictionary for the clearance system",
                    "status": "done",
                    "owner_name": "Awa Diallo",
                    "target_date": "2026-06-30",
                    "evidence": "link",
                },
                {
                    "id": "act-2",
                    "title": "Name data owners",
                    "status": "in_progress",
                    "owner_name": "Jean Mballa",
                    "target_date": "2026-12-31",
                    "evidence": None,
                },
            ],
        },
        {
            "indicator": "data.ownership",
            "area": "data",
            "level_then": 3,
            "level_now": 2,
            "change": -1.0,
            # The same action addresses two indicators: counted once.
            "actions": [
                {
                    "id": "act-2",
                    "title": "Name data owners",
                    "status": "in_progress",
                    "owner_name": "Jean Mballa",
                    "target_date": "2026-12-31",
                    "evidence": None,
                }
            ],
        },
        {
            "indicator": "data.quality",
            "area": "data",
            "level_then": 2,
            "level_now": "dont_know",
            "change": None,
            "actions": [],
        },
        {
            "indicator": "strategy.plan",
            "area": "strategy",
            "level_then": 2,
            "level_now": 2,
            "change": 0.0,
            "actions": [
                {
                    "id": "act-3",
                    "title": "Write AI into the strategic plan",
                    "status": "dropped",
                    "owner_name": "",
                    "target_date": "2026-09-30",
                    "evidence": None,
                }
            ],
        },
        {
            "indicator": "strategy.sponsor",
            "area": "strategy",
            "level_then": 1,
            "level_now": 4,
            "change": 3.0,
            "actions": [],
        },
    ],
}
TEXTS = {
    "en": {
        "heading": "Progress since the previous assessment",
        "summary": "Since the previous assessment, 2 indicators moved up, 1 stayed at the same "
        "level and 1 moved down. 3 actions were planned for these indicators; 1 is done.",
        "compared": "Compared with the previous assessment, “Auto-évaluation 2025”, submitted on "
        "1 March 2025.",
        "action": "Status: done · Owner: Awa Diallo · Target date: 30 June 2026 · Evidence: link",
        "sheet": "Progress",
        "header": ["Area", "Indicator", "Question", "Then", "Now", "Change", "Action"],
        "dont_know": "Don't know",
    },
    "fr": {
        "heading": "Évolution depuis l'évaluation précédente",
        "summary": "Depuis l'évaluation précédente, 2 indicateurs ont progressé, 1 est resté au "
        "même niveau et 1 a reculé. 3 actions étaient prévues pour ces indicateurs ; 1 est "
        "réalisée.",
        "compared": "Comparaison avec l'évaluation précédente, « Auto-évaluation 2025 », soumise "
        "le 1 mars 2025.",
        # The report's colon in French: a no-break space before it.
        "action": "Statut\u00a0: réalisée · Responsable\u00a0: Awa Diallo · "
        "Échéance\u00a0: 30 juin 2026 · Justificatif\u00a0: lien",
        "sheet": "Évolution",
        "header": ["Domaine", "Indicateur", "Question", "Avant", "Aujourd'hui", "Évolution"],
        "dont_know": "Ne sait pas",
    },
}


def _with_progress(progress=PROGRESS):
    return {**copy.deepcopy(DATA), "progress": copy.deepcopy(progress)}


def _text(page: str) -> str:
    body = page[max(page.find("<body>"), 0) :]
    return re.sub(r"[ \t\r\n]+", " ", unescape(re.sub(r"<[^>]+>", " ", body))).strip()


def _section(page: str) -> str:
    return page[page.index('<section id="progress"') : page.index('<section id="about"')]


@pytest.fixture(scope="module", params=["en", "fr"])
def built(request):
    files = build_files(_with_progress(), request.param)
    return request.param, {file.format: file for file in files}


# -- the model (pure) ------------------------------------------------------------------------
def test_the_section_follows_the_reports_area_order_and_the_frameworks_indicator_order():
    since = compose(_with_progress(), "en").since
    assert since is not None
    assert [area.key for area in since.areas] == ["strategy", "data"]
    assert [area.name for area in since.areas] == ["Strategy", "Data"]
    assert [[row.key for row in area.indicators] for area in since.areas] == [
        ["strategy.plan", "strategy.sponsor"],
        ["data.electronic", "data.ownership", "data.quality"],
    ]


def test_the_summary_counts_indicators_by_direction_and_each_action_once():
    since = compose(_with_progress(), "en").since
    assert (since.moved_up, since.stayed, since.moved_down) == (2, 1, 1)
    assert (since.actions_planned, since.actions_done) == (3, 1)
    assert since.summary == TEXTS["en"]["summary"]


def test_each_indicator_shows_its_answers_then_and_now_the_change_and_its_actions():
    since = compose(_with_progress(), "en").since
    rows = {row.key: row for area in since.areas for row in area.indicators}
    electronic = rows["data.electronic"]
    assert (electronic.then_shown, electronic.now_shown, electronic.change_shown) == (
        "1 \u2014 Initial",
        "3 \u2014 Operational",
        "+2",
    )
    assert rows["data.ownership"].change_shown == "\u22121"
    assert rows["strategy.plan"].change_shown == "0"
    assert (rows["data.quality"].now_shown, rows["data.quality"].change_shown) == (
        "Don't know",
        "not comparable",
    )
    assert [
        (a.title, a.status_shown, a.owner, a.target_date_shown) for a in electronic.actions
    ] == [
        ("Data dictionary for the clearance system", "done", "Awa Diallo", "30 June 2026"),
        ("Name data owners", "in progress", "Jean Mballa", "31 December 2026"),
    ]
    assert electronic.actions[0].evidence_shown == "link"
    dropped = rows["strategy.plan"].actions[0]
    assert (dropped.status_shown, dropped.owner) == ("dropped", "not recorded")


def test_plural_forms_follow_each_languages_rule():
    single = {
        **PROGRESS,
        "indicators": [
            {**PROGRESS["indicators"][0], "actions": PROGRESS["indicators"][0]["actions"][:1]}
        ],
    }
    en = compose(_with_progress(single), "en").since.summary
    assert en == (
        "Since the previous assessment, 1 indicator moved up, 0 stayed at the same level and 0 "
        "moved down. 1 action was planned for these indicators; 1 is done."
    )
    fr = compose(_with_progress(single), "fr").since.summary
    assert fr == (
        "Depuis l'évaluation précédente, 1 indicateur a progressé, 0 est resté au même niveau et "
        "0 a reculé. 1 action était prévue pour ces indicateurs ; 1 est réalisée."
    )
    assert "(s)" not in en + fr


def test_a_plan_without_actions_for_these_indicators_says_so():
    bare = {
        **PROGRESS,
        "indicators": [{**row, "actions": []} for row in PROGRESS["indicators"]],
    }
    summary = compose(_with_progress(bare), "en").since.summary
    assert summary.endswith("The previous plan had no action for these indicators.")


def test_without_progress_there_is_no_section():
    assert compose(DATA, "en").since is None
    page = build_files(DATA, "en", formats=("html",))[0].content.decode()
    assert 'id="progress-indicators"' not in page
    assert "By indicator" not in page
    book = load_workbook(io.BytesIO(build_files(DATA, "en", formats=("xlsx",))[0].content))
    assert "Progress" not in book.sheetnames


# -- the three formats -----------------------------------------------------------------------
def test_the_html_shows_the_section_in_the_reports_language(built):
    language, files = built
    texts = TEXTS[language]
    section = _text(_section(files["html"].content.decode()))
    assert texts["heading"] in section
    assert texts["compared"] in section
    assert texts["summary"] in section
    assert texts["action"] in section
    assert texts["dont_know"] in section
    other = TEXTS["fr" if language == "en" else "en"]
    assert other["summary"] not in section


def test_the_pdf_holds_the_section(built, tmp_path):
    language, files = built
    path = tmp_path / "report.pdf"
    path.write_bytes(files["pdf"].content)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True)
    text = " ".join(out.stdout.decode("utf-8").split())
    assert TEXTS[language]["summary"] in text
    assert "Data dictionary for the clearance system" in text
    assert "Awa Diallo" in text


def test_the_workbook_has_a_progress_sheet_with_a_row_per_action(built):
    language, files = built
    book = load_workbook(io.BytesIO(files["xlsx"].content))
    texts = TEXTS[language]
    assert book.sheetnames[-1] == texts["sheet"]
    sheet = book[texts["sheet"]]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    assert header[: len(texts["header"])] == texts["header"]
    body = [row for row in rows[1:] if row[1]]
    assert [row[1] for row in body] == [
        "strategy.plan",
        "strategy.sponsor",
        "data.electronic",
        "data.electronic",
        "data.ownership",
        "data.quality",
    ]
    electronic = [row for row in body if row[1] == "data.electronic"]
    assert [row[5] for row in electronic] == [2, 2]
    assert [row[6] for row in electronic] == [
        "Data dictionary for the clearance system",
        "Name data owners",
    ]
    assert electronic[0][8] == "Awa Diallo"
    assert electronic[0][9].date().isoformat() == "2026-06-30"
    notes = [row[0] for row in rows[1:] if row[0] and not row[1]]
    assert texts["summary"] in notes


def test_building_a_report_with_progress_twice_gives_the_same_bytes():
    assert build_files(_with_progress(), "fr") == build_files(_with_progress(), "fr")


# -- the event contract (additive) -----------------------------------------------------------
def test_a_submission_event_without_progress_still_loads_and_builds():
    older = {key: value for key, value in DATA.items() if key != "progress"}
    event = new_event("assessment.submitted", source="assessment", data=older, subject="asm")
    event.data.pop("progress", None)  # as an older producer sends it: no key at all
    loaded = load_payload(event)
    assert loaded["progress"] is None
    assert [f.format for f in build_files(loaded, "en")] == ["html", "pdf", "xlsx"]


def test_a_submission_event_with_progress_loads_as_json_the_job_can_store():
    event = new_event(
        "assessment.submitted", source="assessment", data=_with_progress(), subject="asm"
    )
    loaded = load_payload(event)
    assert json.loads(json.dumps(loaded))["progress"] == loaded["progress"]
    assert loaded["progress"]["indicators"][0]["actions"][0]["target_date"] == "2026-06-30"
    assert compose(loaded, "en").since.summary == TEXTS["en"]["summary"]
