"""Round trip: the questionnaire downloaded, filled as officers would, uploaded and imported gives
exactly the scores and consolidated view that typing the same answers through the API gives."""

import csv
import io
import json
import random

import openpyxl
import pytest

from assessment.bulk import runner
from assessment.bulk.workbook import FIRST_ROW, META_SHEET, RESPONDENT_CELL, answer_labels

from ..conftest import BASE

OFFICERS = {"off-1": "awa@douanes.example", "off-2": "moussa@douanes.example", "off-3": None}
CONFIDENCE = {"en": ["low", "medium", "high"], "fr": ["faible", "moyenne", "élevée"]}
WORDS = {"en": ["Don't know", "Not applicable"], "fr": ["Je ne sais pas", "Sans objet"]}


def _start(client, auth, title):
    response = client.post(f"{BASE}/assessments", json={"title": title}, headers=auth())
    assert response.status_code == 201
    aid = response.json["id"]
    for user, email in OFFICERS.items():
        body = {"name": user, "email": email}
        assert (
            client.put(
                f"{BASE}/assessments/{aid}/participants/{user}", json=body, headers=auth()
            ).status_code
            == 200
        )
    return aid


def _answers(indicators):
    """What each officer answers: every indicator, levels, words and confidences mixed."""
    chosen = random.Random(2026)
    values = [1, 2, 3, 4, 5, 3, 2, "dont_know", "not_applicable"]
    return {
        user: {
            key: (chosen.choice(values), chosen.choice([None, "low", "medium", "high"]))
            for area in indicators.values()
            for key in area
        }
        for user in OFFICERS
    }


def _type_through_the_api(client, auth, aid, answers):
    for user, given in answers.items():
        headers = auth(sub=user, roles=("respondent",))
        for key, (value, confidence) in given.items():
            response = client.put(
                f"{BASE}/assessments/{aid}/answers/{key}",
                json={"value": value, "confidence": confidence, "evidence": f"{user} note"},
                headers=headers,
            )
            assert response.status_code == 200, response.json


def _label(value, language):
    if value == "dont_know":
        return WORDS[language][0]
    if value == "not_applicable":
        return WORDS[language][1]
    return answer_labels(language)[value - 1]


def _confidence_label(confidence, language):
    return (
        None
        if confidence is None
        else CONFIDENCE[language][["low", "medium", "high"].index(confidence)]
    )


def _filled_workbooks(client, auth, aid, answers, language):
    blank = client.get(
        f"{BASE}/assessments/{aid}/workbook?format=xlsx&language={language}", headers=auth()
    )
    assert blank.status_code == 200
    files = []
    for user, given in answers.items():
        book = openpyxl.load_workbook(io.BytesIO(blank.data))
        book.worksheets[0][RESPONDENT_CELL] = OFFICERS[user] or user
        meta = {
            row[0]: json.loads(row[1])
            for row in book[META_SHEET].iter_rows(max_col=2, values_only=True)
            if row[0]
        }
        for sheet in meta["sheets"]:
            page = book[sheet["title"]]
            for offset, key in enumerate(sheet["indicators"]):
                value, confidence = given[key]
                row = FIRST_ROW + offset
                # Officers type a plain number now and then instead of picking the label.
                page[f"J{row}"] = (
                    value if isinstance(value, int) and value % 2 else _label(value, language)
                )
                page[f"K{row}"] = _confidence_label(confidence, language)
                page[f"L{row}"] = f"{user} note"
        out = io.BytesIO()
        book.save(out)
        files.append((io.BytesIO(out.getvalue()), f"{user}.xlsx"))
    return files


def _csv_file(answers):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["respondent", "indicator", "answer", "confidence", "evidence"])
    for user, given in answers.items():
        for key, (value, confidence) in given.items():
            writer.writerow([OFFICERS[user] or user, key, value, confidence or "", f"{user} note"])
    return [(io.BytesIO(out.getvalue().encode("cp1252")), "answers.csv")]


def _json_file(answers):
    document = {
        "framework": {"key": "ai-ml-readiness", "version": "1.0"},
        "respondents": [
            {
                "respondent": user,
                "answers": [
                    {"indicator": k, "answer": v, "confidence": c, "evidence": f"{user} note"}
                    for k, (v, c) in given.items()
                ],
            }
            for user, given in answers.items()
        ],
    }
    return [(io.BytesIO(json.dumps(document).encode()), "answers.json")]


def _view(client, auth, aid):
    results = client.get(f"{BASE}/assessments/{aid}/results", headers=auth()).json
    consensus = client.get(f"{BASE}/assessments/{aid}/consensus", headers=auth()).json
    stored = client.get(f"{BASE}/assessments/{aid}/answers", headers=auth()).json
    return (
        {
            k: results[k]
            for k in ("areas", "overall", "priorities", "disagreements")
            if k in results
        },
        consensus,
        sorted(
            (a["respondent_id"], a["indicator"], a["value"], a["confidence"], a["evidence"])
            for a in stored
        ),
    )


@pytest.mark.parametrize("fill", ["xlsx-fr", "xlsx-en", "csv", "json"])
def test_an_imported_file_scores_exactly_like_the_same_answers_typed(
    app, client, auth, indicators, fill
):
    answers = _answers(indicators)
    typed = _start(client, auth, "Typed")
    _type_through_the_api(client, auth, typed, answers)

    imported = _start(client, auth, "Imported")
    if fill.startswith("xlsx"):
        files = _filled_workbooks(client, auth, imported, answers, fill[-2:])
    else:
        files = _csv_file(answers) if fill == "csv" else _json_file(answers)
    accepted = client.post(
        f"{BASE}/assessments/{imported}/imports",
        data={"file": files},
        content_type="multipart/form-data",
        headers=auth(),
    )
    assert accepted.status_code == 202, accepted.json
    assert runner.run_once(app, owner="test") == "succeeded"
    job = client.get(f"{BASE}/imports/{accepted.json['id']}", headers=auth()).json
    total = sum(len(a) for a in answers.values())
    assert job["progress"]["answers_stored"] == total

    assert _view(client, auth, imported) == _view(client, auth, typed)


@pytest.mark.parametrize(
    ("asked", "expected"),
    [
        ({}, ("fr", "Le classeur n'indique pas qui a répondu")),
        ({"Accept-Language": "en"}, ("en", "The workbook does not say who answered")),
        ({"Accept-Language": "fr"}, ("fr", "Le classeur n'indique pas qui a répondu")),
    ],
)
def test_problems_speak_the_workbooks_language_unless_the_request_asks_for_one(
    app, client, auth, asked, expected
):
    aid = _start(client, auth, "Langue du classeur")
    blank = client.get(
        f"{BASE}/assessments/{aid}/workbook?format=xlsx&language=fr", headers=auth()
    ).data
    accepted = client.post(
        f"{BASE}/assessments/{aid}/imports",
        data={"file": (io.BytesIO(blank), "vierge.xlsx")},  # nobody named on its first sheet
        content_type="multipart/form-data",
        headers={**auth(), **asked},
    )
    assert accepted.status_code == 202, accepted.json
    assert runner.run_once(app, owner="test-runner") == "rejected"

    job = client.get(f"{BASE}/imports/{accepted.json['id']}", headers=auth()).json
    problems = client.get(f"{BASE}/imports/{job['id']}/problems", headers=auth()).json
    assert (job["language"], problems[0]["message"][: len(expected[1])]) == expected
