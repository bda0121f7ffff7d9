"""Notifications read naturally: counts in their plural form and grouped the language's way."""

import pytest

from reports.models import Notification
from reports.notifications import render


def _import(stored, rows, errors=0, code="import_completed_with_errors"):
    params = {"answers_stored": stored, "rows_total": rows, "errors_count": errors}
    return Notification(code=code, params=params)


@pytest.mark.parametrize(
    ("count", "english", "french"),
    [
        (0, "0 answers stored from 0 rows.", "0 réponse enregistrée à partir de 0 ligne."),
        (1, "1 answer stored from 1 row.", "1 réponse enregistrée à partir de 1 ligne."),
        (2, "2 answers stored from 2 rows.", "2 réponses enregistrées à partir de 2 lignes."),
        (5, "5 answers stored from 5 rows.", "5 réponses enregistrées à partir de 5 lignes."),
    ],
)
def test_import_counts_take_the_plural_form_of_each_language(count, english, french):
    finished = _import(count, count, code="import_succeeded")
    assert render(finished, "en")["body"] == english
    assert render(finished, "fr")["body"] == french


def test_refused_rows_and_large_counts_are_written_the_language_way():
    body = render(_import(1234, 1300, 1), "fr")["body"]
    assert body.startswith("1\u202f234 réponses enregistrées à partir de 1\u202f300 lignes. ")
    assert "1 ligne a été refusée\u00a0: téléchargez le rapport d'erreurs." in body
    english = render(_import(1234, 1300, 2), "en")["body"]
    assert (
        english
        == "1,234 answers stored from 1,300 rows. 2 rows were refused: download the error report."
    )


def test_a_report_notification_names_the_report_language_in_the_reader_language():
    ready = Notification(
        code="report_ready", params={"title": "Auto-évaluation", "version": 2, "language": "pt"}
    )
    assert render(ready, "fr") == {
        "title": "Votre rapport est prêt",
        "body": "Le rapport « Auto-évaluation » (version 2, portugais) peut être téléchargé.",
    }
    assert render(ready, "en")["body"].endswith("(version 2, Portuguese) can be downloaded.")
    assert render(Notification(code="report_failed", params={}), "en")["body"].startswith(
        "The report “” (version , ) could not be built."
    )
