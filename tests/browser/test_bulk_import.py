"""A coordinator imports officers' offline workbooks in real chromium: refused, then accepted."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import requests
from openpyxl import load_workbook
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from assessment.bulk import workbook
from portal.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

COORDINATOR = "coordinator@demo.example"
OFFICERS = {"agent-awa": "awa.diallo@douanes.example", "agent-moussa": "moussa.ba@douanes.example"}
FINISHED = 30_000  # ms: the importer is a separate process, woken through Redis


def _team_assessment(gateway_url: str) -> str:
    """Start an assessment through the API and invite two offline respondents by e-mail."""
    login = requests.post(
        f"{gateway_url}/api/v1/portal/auth/login",
        json={"email": COORDINATOR, "password": DEMO_PASSWORD},
        timeout=10,
    )
    assert login.status_code == 200, login.text
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    api = f"{gateway_url}/api/v1/assessment/assessments"
    created = requests.post(
        api, json={"title": "Réponses hors ligne", "language": "fr"}, headers=headers, timeout=10
    )
    assert created.status_code == 201, created.text
    aid = str(created.json()["id"])
    for user_id, email in OFFICERS.items():
        invited = requests.put(
            f"{api}/{aid}/participants/{user_id}",
            json={"name": user_id, "email": email, "areas": []},
            headers=headers,
            timeout=10,
        )
        assert invited.status_code == 200, invited.text
    return aid


def _fill(blank: Path, out: Path, email: str, wrong: tuple[str, int] | None = None) -> int:
    """Answer every question of a blank workbook as an officer would; return the answers given.

    ``wrong`` is the (sheet title, row) whose answer cell gets a 7 typed in instead of a level.
    """
    book = load_workbook(blank)
    book.worksheets[0][workbook.RESPONDENT_CELL] = email
    level_3 = workbook.answer_labels("fr")[2]
    answers = 0
    for sheet in book.worksheets[1:]:
        if sheet.title == workbook.META_SHEET:
            continue
        row = workbook.FIRST_ROW
        while sheet[f"{workbook.COLUMNS['key']}{row}"].value:
            typed = 7 if wrong == (sheet.title, row) else level_3
            sheet[f"{workbook.COLUMNS['answer']}{row}"] = typed
            answers += 1
            row += 1
    book.save(out)
    return answers


def _csp_errors(page: Page) -> list[str]:
    found: list[str] = []

    def seen(message: ConsoleMessage) -> None:
        if message.type == "error":
            found.append(message.text)

    page.on("console", seen)
    return found


def test_a_coordinator_imports_offline_workbooks_refused_then_accepted(
    browser: Browser, gateway_url: str, form_sign_in, tmp_path: Path
) -> None:
    aid = _team_assessment(gateway_url)
    page = browser.new_context(locale="fr-FR", accept_downloads=True).new_page()
    form_sign_in(page, COORDINATOR, f"/assessment/{aid}")
    page.goto(f"{gateway_url}/assessment/{aid}?lang=fr")  # French, remembered in the lang cookie
    page.get_by_role("link", name="Réponses en masse").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Réponses en masse : Réponses hors ligne"
    )
    errors = _csp_errors(page)
    expect(page.get_by_text("ce n'est pas un classement").first).to_be_visible()
    expect(page.get_by_text("Aucun import pour le moment.")).to_be_visible()

    # The French workbook, one copy per officer; the second officer types 7 in one answer cell.
    with page.expect_download() as download:
        page.get_by_role("link", name="Classeur (Excel) en français").click()
    assert download.value.suggested_filename.endswith("-fr.xlsx")
    blank = tmp_path / "blank.xlsx"
    download.value.save_as(blank)
    titles = load_workbook(blank, read_only=True).sheetnames
    wrong_sheet, wrong_row = titles[2], workbook.FIRST_ROW + 1
    awa, moussa = tmp_path / "awa.xlsx", tmp_path / "moussa.xlsx"
    given = _fill(blank, awa, OFFICERS["agent-awa"])
    given += _fill(blank, moussa, OFFICERS["agent-moussa"], wrong=(wrong_sheet, wrong_row))
    files = page.get_by_label("Fichiers (.xlsx, .csv ou .json)")

    # A refused upload is explained in the alert region, without leaving the page.
    files.set_input_files([{"name": "vide.csv", "mimeType": "text/csv", "buffer": b""}])
    page.get_by_role("button", name="Déposer et importer").click()
    expect(page.locator("#import-alert")).to_contain_text("Un fichier envoyé est vide")
    assert page.url.split("?")[0].endswith(f"/assessment/{aid}/imports")

    # All or nothing (the default): one wrong cell, nothing stored.
    expect(
        page.get_by_label("Tout ou rien : ne rien enregistrer si une ligne est erronée")
    ).to_be_checked()
    files.set_input_files([awa, moussa])
    page.get_by_role("button", name="Déposer et importer").click()
    page.wait_for_url(f"{gateway_url}/assessment/imports/*")
    status = page.locator("#job-status")
    expect(status).to_have_text("Refusé", timeout=FINISHED)
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
    expect(page.locator("#job-stored")).to_have_text("Réponses enregistrées : 0")
    expect(page.locator("#job-problems-count")).to_have_text("Problèmes : 1")
    problem = page.locator("#job-problems tbody tr")
    expect(problem).to_have_count(1)
    expect(problem).to_contain_text("moussa.xlsx")
    expect(problem).to_contain_text(wrong_sheet)
    expect(problem).to_contain_text("« 7 » n'est pas un niveau")

    with page.expect_download() as report:
        page.get_by_role("link", name="Rapport d'erreurs (CSV)").click()
    assert report.value.suggested_filename.endswith("-problems.csv")
    lines = list(csv.reader(io.StringIO(Path(report.value.path()).read_text("utf-8-sig"))))
    assert lines[0] == ["Fichier", "Feuille", "Ligne", "Colonne", "Code", "Motif"]
    assert [line[:5] for line in lines[1:]] == [
        ["moussa.xlsx", wrong_sheet, str(wrong_row), "J", "level_out_of_range"]
    ]

    # Back on the imports page: the refused job is listed; store the valid rows this time.
    page.locator("#back-to-imports").click()
    rows = page.locator("#import-jobs tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Refusé")
    page.get_by_label("Enregistrer les lignes valides et signaler les autres").check()
    page.get_by_label("Fichiers (.xlsx, .csv ou .json)").set_input_files([awa, moussa])
    page.get_by_role("button", name="Déposer et importer").click()
    page.wait_for_url(f"{gateway_url}/assessment/imports/*")
    expect(status).to_have_text("Importé avec des erreurs", timeout=FINISHED)
    expect(page.locator("#job-stored")).to_have_text(f"Réponses enregistrées : {given - 1}")
    expect(page.locator("#job-problems tbody tr")).to_have_count(1)
    expect(page.get_by_role("link", name="Rapport d'erreurs (Excel)")).to_be_visible()
    assert not [e for e in errors if "Content Security Policy" in e], errors

    # The answers count in the results: every level typed was 3.
    page.get_by_role("link", name="Voir les résultats").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Résultats")
    expect(page.locator("#area-scores tr[data-area=data]")).to_contain_text("3 — Opérationnel")
