"""A report shows the administration's scores beside the regional distribution exactly when its
results page would: the assessment is opted in (``peer_participation.*``) and its region has a
published aggregate of its framework version (``peer_aggregate.*``) when the report is built;
never another administration's choice, never a withdrawn aggregate, never a count or a rank."""

import io
import subprocess

import pytest
from openpyxl import load_workbook

from reports import peer_aggregates
from shared.events import new_event

URL = "/api/v1/reports/reports"
FRAMEWORK = {"key": "ai-ml-readiness", "version": "1.0"}
CUTS = {"area": "strategy", "first_quartile": 2.25, "median": 3.5, "third_quartile": 4.75}
HEADING = "Your scores beside the regional distribution"
COMPUTED = "Distribution as computed on 1 March 2026."
REMINDER = "Not a benchmark: the regional distribution is there to inform your internal discussion."


def _apply(app, event_type, data):
    event = new_event(event_type, source="assessment", data=data, subject="s")
    with app.extensions["db"].session(write=True) as session:
        peer_aggregates.apply_peer_event(event, session=session)
    return event


def _opt_in(app, assessment_id="asm-1", administration_id="adm-1", region="wca"):
    kind = "peer_participation.opted_in" if region else "peer_participation.opted_out"
    data = {
        "assessment_id": assessment_id,
        "administration_id": administration_id,
        "region": region,
        "framework": FRAMEWORK,
    }
    return _apply(app, kind, data)


def _publish(app, region="wca", areas=(CUTS,), version="1.0"):
    data = {
        "region": region,
        "framework": {"key": FRAMEWORK["key"], "version": version},
        "areas": list(areas),
        "computed_at": "2026-03-01T09:00:00Z",
    }
    return _apply(app, "peer_aggregate.published", data)


def _withdraw(app, region="wca"):
    data = {"region": region, "framework": FRAMEWORK, "computed_at": "2026-03-02T09:00:00Z"}
    return _apply(app, "peer_aggregate.withdrawn", data)


def _file(client, auth, job, fmt):
    response = client.get(f"{URL}/{job.id}/files/{fmt}", headers=auth())
    assert response.status_code == 200
    return response.get_data()


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True)
    return " ".join(out.stdout.split())


def test_an_opted_in_assessment_with_a_published_aggregate_gets_the_section_in_every_format(
    app, client, auth, make_report, tmp_path
):
    _opt_in(app)
    _publish(app)
    job = make_report()
    page = _file(client, auth, job, "html").decode("utf-8")
    assert 'id="peers"' in page and HEADING in page
    assert REMINDER in page.replace("&#39;", "'")
    row = page.split('<tr data-area="strategy"><td>Strategy</td>', 2)[2].split("</tr>")[0]
    assert [cell.split(">")[-1] for cell in row.split("</td>")[:4]] == [
        "2.4",
        "2.25",
        "3.5",
        "4.75",
    ]
    assert "Not enough participants yet" in page  # the data area is not published
    assert COMPUTED in page  # a dated snapshot (ADR 0012)
    text = _pdf_text(_file(client, auth, job, "pdf"), tmp_path)
    assert HEADING in text and "Regional median" in text and "West and Central Africa" in text
    assert "Not a benchmark" in text and COMPUTED in text
    book = load_workbook(io.BytesIO(_file(client, auth, job, "xlsx")))
    sheet = book["Regional distribution"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Area", "Your score", "First quartile", "Regional median", "Third quartile")
    assert rows[1] == ("Strategy", 2.4, 2.25, 3.5, 4.75)
    assert rows[2][:3] == ("Data", 3.0, "Not enough participants yet")
    assert any(REMINDER in str(r[0]) for r in rows)
    assert any(COMPUTED in str(r[0]) for r in rows)


def test_the_french_report_says_it_in_french(app, client, auth, make_report, tmp_path):
    _opt_in(app)
    _publish(app)
    job = make_report(language="fr")
    page = _file(client, auth, job, "html").decode("utf-8")
    assert "Vos scores à côté de la distribution régionale" in page
    assert "Afrique occidentale et centrale" in page and "Médiane régionale" in page
    assert "Ce n&#39;est pas un classement de référence" in page
    assert "Distribution telle que calculée le 1 mars 2026." in page
    book = load_workbook(io.BytesIO(_file(client, auth, job, "xlsx")))
    assert "Distribution régionale" in book.sheetnames


@pytest.mark.parametrize(
    "setup",
    [
        pytest.param(lambda app: _publish(app), id="not-opted-in"),
        pytest.param(
            lambda app: (_opt_in(app), _opt_in(app, region=None), _publish(app)), id="opted-out"
        ),
        pytest.param(lambda app: _opt_in(app), id="nothing-published-below-five"),
        pytest.param(lambda app: (_opt_in(app), _publish(app), _withdraw(app)), id="withdrawn"),
        pytest.param(lambda app: (_opt_in(app), _publish(app, region="esa")), id="other-region"),
        pytest.param(lambda app: (_opt_in(app), _publish(app, version="2.0")), id="other-version"),
        pytest.param(
            lambda app: (_opt_in(app, administration_id="adm-2"), _publish(app)),
            id="another-administrations-choice",
        ),
    ],
)
def test_without_the_results_pages_conditions_the_report_has_no_section(
    app, client, auth, make_report, setup
):
    setup(app)
    job = make_report()
    page = _file(client, auth, job, "html").decode("utf-8")
    assert 'id="peers"' not in page and HEADING not in page
    assert "3.5" not in page and "4.75" not in page
    book = load_workbook(io.BytesIO(_file(client, auth, job, "xlsx")))
    assert "Regional distribution" not in book.sheetnames


def test_a_rebuild_after_opting_in_shows_the_section(app, client, auth, make_report):
    from reports import jobs

    job = make_report()
    assert HEADING not in _file(client, auth, job, "html").decode("utf-8")
    _opt_in(app)
    _publish(app)
    with app.extensions["db"].session(write=True) as session:
        jobs.rebuild_files(session=session, store=app.extensions["reports.store"], job_id=job.id)
    assert HEADING in _file(client, auth, job, "html").decode("utf-8")
