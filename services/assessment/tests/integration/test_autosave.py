"""Saving an answer as one guarded statement, on the real database (SQLite or PostgreSQL).

The guard's rules run inside the database: these tests check them against participants' areas
as stored (none, empty, listed), and that a save racing a submission never lands in an
assessment submitted meanwhile.
"""

import threading
import time

import pytest
from sqlalchemy import func, select, update

from assessment.models import Answer, Assessment, Participant

from ..conftest import BASE

pytestmark = pytest.mark.integration


def _answers(app, assessment_id):
    with app.extensions["db"].session() as session:
        return session.scalar(
            select(func.count()).select_from(Answer).where(Answer.assessment_id == assessment_id)
        )


def _invite(client, auth, started, user_id, areas):
    response = client.put(
        f"{BASE}/assessments/{started}/participants/{user_id}",
        json={"name": user_id, "areas": areas},
        headers=auth(),
    )
    assert response.status_code in (200, 201), response.json


@pytest.mark.parametrize("stored_areas", [None, []])
def test_a_participant_given_no_areas_answers_every_area(
    app, client, auth, started, indicators, stored_areas
):
    _invite(client, auth, started, "resp-1", ["data"])
    with app.extensions["db"].session(write=True) as session, session.begin():
        session.execute(
            update(Participant)
            .where(Participant.assessment_id == started, Participant.user_id == "resp-1")
            .values(areas=stored_areas)
        )
    respondent = auth(sub="resp-1", roles=("respondent",))
    for area in ("strategy", "legal"):
        url = f"{BASE}/assessments/{started}/answers/{indicators[area][0]}"
        assert client.put(url, json={"value": 3}, headers=respondent).status_code == 200


def test_the_guard_reads_the_listed_areas_exactly(client, auth, started, indicators, app):
    _invite(client, auth, started, "resp-1", ["data", "legal"])
    respondent = auth(sub="resp-1", roles=("respondent",))
    for area, status in (("data", 200), ("legal", 200), ("strategy", 403), ("governance", 403)):
        url = f"{BASE}/assessments/{started}/answers/{indicators[area][0]}"
        response = client.put(url, json={"value": 2}, headers=respondent)
        assert response.status_code == status, (area, response.json)
    assert _answers(app, started) == 2


def test_a_save_waiting_on_a_submission_finds_it_submitted_and_writes_nothing(
    app, client, auth, started, indicators
):
    url = f"{BASE}/assessments/{started}/answers/{indicators['data'][0]}"
    assert client.put(url, json={"value": 2}, headers=auth()).status_code == 200
    database = app.extensions["db"]
    locked, outcome = threading.Event(), {}

    def submit_slowly():
        # What a submission does first: lock the assessment, then (slowly) mark it submitted.
        with database.session(write=True) as session, session.begin():
            session.execute(select(Assessment.id).where(Assessment.id == started).with_for_update())
            locked.set()
            time.sleep(0.5)
            session.execute(
                update(Assessment).where(Assessment.id == started).values(status="submitted")
            )

    submitter = threading.Thread(target=submit_slowly)
    submitter.start()
    assert locked.wait(5)
    saver_client = app.test_client()

    def save():
        outcome["response"] = saver_client.put(url, json={"value": 5}, headers=auth())

    saver = threading.Thread(target=save)
    saver.start()
    submitter.join(10)
    saver.join(10)
    response = outcome["response"]
    assert response.status_code == 409, response.json
    assert response.json["code"] == "assessment_submitted"
    with database.session() as session:
        assert session.scalar(select(Answer.value).where(Answer.assessment_id == started)) == "2"
