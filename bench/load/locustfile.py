"""The platform's realistic mix, as locust users all sending from one address (a workshop).

    LOAD_SEED_FILE=seed.json LOAD_SUMMARY_FILE=summary.json \\
        locust -f bench/load/locustfile.py --headless -u 50 -r 5 -t 180s --host http://127.0.0.1:8080

``seed.json`` is written by ``load_seed.seed`` (accounts, the workshop assessment, catalogue
slugs). Users, by weight (``load_seed.WEIGHTS``):

- ``AnonymousBrowser``: the portal's home, catalogue search and item pages, and the catalogue
  API, reading for a few seconds between requests.
- ``Respondent``: signs in once with the form (session cookie), opens the workshop assessment
  and its assigned areas, and autosaves one answer every few seconds as the page's script does
  (cookie and ``X-CSRF-Token``).
- ``Coordinator``: signs in once for a bearer token, then in cycles starts an assessment, invites
  a live listener, answers an indicator per area, submits, polls its report until it is ready
  and downloads the HTML, PDF and XLSX files.
- ``LiveListener``: signs in with the form, opens the reports page and keeps its live
  notification stream (server-sent events) open for 30-90 s, then reloads the page.

Requests are named by route template (``/catalogue/<slug>``), so statistics group per endpoint.
Beside locust's own statistics, every request is recorded with its user class and time, and
``LOAD_SUMMARY_FILE`` gets them as JSON when locust quits (``load_run.py`` reads it); the
stream's first event and each pushed notification are recorded as ``SSE`` requests (their
times: from the stream's start, and from the notification's creation).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from load_seed import WEIGHTS  # beside this file (locust puts its folder on the path)
from locust import HttpUser, between, events, task
from locust.env import Environment

SEED: dict[str, Any] = json.loads(Path(os.environ["LOAD_SEED_FILE"]).read_text(encoding="utf-8"))
STREAM = "/api/v1/reports/notifications/stream"
ANSWER = "/api/v1/assessment/assessments/<assessment_id>/answers/<indicator>"
VALUES: tuple[int | str, ...] = (1, 2, 2, 3, 3, 3, 4, 4, 5, "dont_know", "not_applicable")
CONFIDENCES = (None, "low", "medium", "medium", "high")
COMMENTS = ("", "", "", "Les données existent, leur qualité varie.", "Nobody owns the data.")
ASSETS = re.compile(r'(?:href|src)="(/[^"]+\.(?:css|js))"')
REPORT_TIMEOUT_S = 120.0
_accounts = {name: itertools.count() for name in WEIGHTS}
ACTIVE_LISTENERS: list[dict[str, str]] = []  # signed-in listeners: coordinators invite them


# ------------------------------------------------------------------------- what is recorded
class Recorder:
    """Every request of the run, with its user class, for the summary file."""

    def __init__(self) -> None:
        self.samples: list[list[Any]] = []  # [time, class, type, name, ms, status, failed]
        self.failures: dict[str, int] = {}
        self.started_at = time.time()
        self.spawned_at: float | None = None

    def request(self, request_type: str, name: str, response_time: float, **kw: Any) -> None:
        """Record one request (a locust ``request`` event)."""
        response, exception = kw.get("response"), kw.get("exception")
        status = getattr(response, "status_code", 0) or 0
        user_class = (kw.get("context") or {}).get("user_class", "")
        self.samples.append(
            [time.time(), user_class, request_type, name, response_time, status, bool(exception)]
        )
        if exception:
            key = f"{request_type} {name}: {status} {str(exception)[:200]}"
            self.failures[key] = self.failures.get(key, 0) + 1

    def write(self, path: Path) -> None:
        """Write the summary JSON."""
        body = {
            "started_at": self.started_at,
            "spawned_at": self.spawned_at,
            "ended_at": time.time(),
            "columns": ["time", "user_class", "type", "name", "ms", "status", "failed"],
            "samples": self.samples,
            "failures": self.failures,
        }
        path.write_text(json.dumps(body), encoding="utf-8")


RECORDER = Recorder()
events.request.add_listener(RECORDER.request)


@events.spawning_complete.add_listener
def _spawned(user_count: int, **_kw: Any) -> None:
    RECORDER.spawned_at = time.time()


@events.quitting.add_listener
def _quitting(environment: Environment, **_kw: Any) -> None:
    target = os.environ.get("LOAD_SUMMARY_FILE")
    if target:
        RECORDER.write(Path(target))


def _account(kind: str, cls: str) -> dict[str, Any]:
    people: list[dict[str, Any]] = SEED[kind]
    return people[next(_accounts[cls]) % len(people)]


# ------------------------------------------------------------------------------- the users
class Visitor(HttpUser):
    """What every simulated person shares: a browser's language, page loads and its assets."""

    abstract = True

    def on_start(self) -> None:
        """Pick a language (the region is mostly French-speaking)."""
        language = "fr" if random.random() < 0.7 else "en"
        self.client.headers["Accept-Language"] = f"{language},en;q=0.5"
        self.language = language
        self.cached: set[str] = set()

    def context(self) -> dict[str, Any]:
        """Tag each request with the user class, for the per-class counts."""
        return {"user_class": type(self).__name__}

    def page(self, path: str, name: str) -> str:
        """Load a page as a browser does: the HTML, then its styles and scripts once."""
        answer = self.client.get(path, name=name, headers={"Accept": "text/html"})
        for asset in ASSETS.findall(answer.text):
            if asset not in self.cached:
                self.cached.add(asset)
                self.client.get(asset, name=asset)
        return answer.text

    def sign_in_form(self, email: str, next_path: str) -> None:
        """Sign in with the portal's form (session and CSRF cookies), then open ``next_path``."""
        self.page(f"/login?next={next_path}", "/login?next=<path>")
        form = {
            "csrf_token": self.client.cookies.get("sc_csrf", ""),
            "next": next_path,
            "email": email,
            "password": SEED["password"],
        }
        with self.client.post(
            "/login", data=form, name="/login", allow_redirects=False, catch_response=True
        ) as answer:
            if answer.status_code != 303:
                answer.failure(f"sign-in answered {answer.status_code}, not 303")

    def csrf(self) -> dict[str, str]:
        """The double-submit header the pages' scripts send with a write."""
        return {"X-CSRF-Token": self.client.cookies.get("sc_csrf", "")}


class AnonymousBrowser(Visitor):
    """Someone browsing and searching the public catalogue."""

    weight = WEIGHTS["AnonymousBrowser"]
    wait_time = between(2, 8)

    def _words(self) -> str:
        return " ".join(random.sample(SEED["words"], random.choice((1, 1, 2))))

    @task(2)
    def home(self) -> None:
        """The home page."""
        self.page("/", "/")

    @task(3)
    def search_page(self) -> None:
        """The catalogue page with a search."""
        self.page(f"/catalogue?q={self._words()}", "/catalogue?q=<words>")

    @task(1)
    def filter_page(self) -> None:
        """The catalogue page filtered by kind or technology."""
        if random.random() < 0.5:
            self.page(f"/catalogue?kind={random.choice(SEED['kinds'])}", "/catalogue?kind=<kind>")
        else:
            technology = random.choice(SEED["technologies"])
            self.page(f"/catalogue?technology={technology}", "/catalogue?technology=<code>")

    @task(3)
    def item_page(self) -> None:
        """One item's page."""
        self.page(f"/catalogue/{random.choice(SEED['slugs'])}", "/catalogue/<slug>")

    @task(2)
    def search_api(self) -> None:
        """The catalogue API's search (an integration or the portal's own script)."""
        self.client.get(
            "/api/v1/portal/content/items",
            params={"q": self._words(), "lang": self.language},
            name="/api/v1/portal/content/items?q=<words>",
        )

    @task(1)
    def item_api(self) -> None:
        """One item from the API."""
        self.client.get(
            f"/api/v1/portal/content/items/{random.choice(SEED['slugs'])}",
            name="/api/v1/portal/content/items/<ref>",
        )


class Respondent(Visitor):
    """An officer of the workshop answering their assigned areas; each answer autosaves."""

    weight = WEIGHTS["Respondent"]
    wait_time = between(3, 10)

    def on_start(self) -> None:
        """Sign in once, open the workshop assessment and the first assigned area."""
        super().on_start()
        self.person = _account("respondents", "Respondent")
        self.assessment = SEED["workshop_id"]
        self.sign_in_form(self.person["email"], "/assessment/")
        self.page("/assessment/", "/assessment/")
        self.page(f"/assessment/{self.assessment}", "/assessment/<assessment_id>")
        self.areas = itertools.cycle(self.person["areas"])
        self.pending: list[str] = []
        self.open_area()

    def open_area(self) -> None:
        """Open the next assigned area's questionnaire; its indicators are answered in order."""
        area = next(self.areas)
        self.page(
            f"/assessment/{self.assessment}/areas/{area}",
            "/assessment/<assessment_id>/areas/<area>",
        )
        self.pending = list(SEED["framework"]["areas"][area])

    @task(12)
    def autosave(self) -> None:
        """Choose a level (and sometimes a confidence and a comment): the answer saves."""
        if not self.pending:
            self.open_area()
        indicator = self.pending.pop(0)
        self.client.put(
            f"/api/v1/assessment/assessments/{self.assessment}/answers/{indicator}",
            json={
                "value": random.choice(VALUES),
                "confidence": random.choice(CONFIDENCES),
                "comment": random.choice(COMMENTS),
                "evidence": "",
            },
            headers=self.csrf(),
            name=ANSWER,
        )

    @task(1)
    def overview(self) -> None:
        """Back to the assessment's overview (progress of the team)."""
        self.page(f"/assessment/{self.assessment}", "/assessment/<assessment_id>")


class Coordinator(Visitor):
    """A coordinator running assessments to the end: submit, wait for the report, download."""

    weight = WEIGHTS["Coordinator"]
    wait_time = between(10, 30)

    def on_start(self) -> None:
        """Sign in once through the API (bearer token)."""
        super().on_start()
        person = _account("coordinators", "Coordinator")
        answer = self.client.post(
            "/api/v1/portal/auth/login",
            json={"email": person["email"], "password": SEED["password"]},
            name="/api/v1/portal/auth/login",
        )
        token = answer.json()["access_token"] if answer.ok else ""
        self.client.headers["Authorization"] = f"Bearer {token}"
        self.cycles = 0

    @task
    def assessment_to_report(self) -> None:
        """One assessment from its start to its downloaded report."""
        self.cycles += 1
        api = "/api/v1/assessment/assessments"
        created = self.client.post(
            api,
            json={"title": f"Évaluation {self.cycles} de {id(self):x}", "language": self.language},
            name=api,
        )
        if not created.ok:
            return
        assessment = created.json()["id"]
        if ACTIVE_LISTENERS:
            listener = random.choice(ACTIVE_LISTENERS)
            self.client.put(
                f"{api}/{assessment}/participants/{listener['id']}",
                json={"name": listener["name"], "role": "respondent", "areas": []},
                name=f"{api}/<assessment_id>/participants/<user_id>",
            )
        for indicators in SEED["framework"]["areas"].values():
            time.sleep(random.uniform(1, 3))
            self.client.put(
                f"{api}/{assessment}/answers/{random.choice(indicators)}",
                json={"value": random.choice(VALUES[:9]), "confidence": "medium"},
                name=ANSWER,
            )
        self.client.get(f"{api}/{assessment}/results", name=f"{api}/<assessment_id>/results")
        submitted = self.client.post(
            f"{api}/{assessment}/submit", json={}, name=f"{api}/<assessment_id>/submit"
        )
        if submitted.ok:
            self.download(assessment, time.perf_counter())

    def download(self, assessment: str, submitted: float) -> None:
        """Poll the reports list until the report is ready, then download each format."""
        reports = "/api/v1/reports/reports"
        ready = None
        while ready is None and time.perf_counter() - submitted < REPORT_TIMEOUT_S:
            time.sleep(2)
            listed = self.client.get(
                reports, params={"assessment_id": assessment}, name=f"{reports}?assessment_id=<id>"
            )
            found = listed.json() if listed.ok else []
            if any(report["status"] == "failed" for report in found):
                break
            ready = next((report for report in found if report["status"] == "ready"), None)
        events.request.fire(
            request_type="FLOW",
            name="submit -> report ready (polled every 2 s)",
            response_time=(time.perf_counter() - submitted) * 1000,
            response_length=0,
            exception=None if ready else RuntimeError(f"no ready report for {assessment}"),
            context=self.context(),
        )
        if ready is None:
            return
        self.client.get(f"{reports}/{ready['id']}", name=f"{reports}/<report_id>")
        for file_format in ("html", "pdf", "xlsx"):
            self.client.get(
                f"{reports}/{ready['id']}/files/{file_format}",
                name=f"{reports}/<report_id>/files/{file_format}",
            )


class LiveListener(Visitor):
    """A team member with the reports page open: its live notification stream."""

    weight = WEIGHTS["LiveListener"]
    wait_time = between(1, 3)

    def on_start(self) -> None:
        """Sign in with the form; coordinators invite this account from now on."""
        super().on_start()
        person = _account("listeners", "LiveListener")
        self.sign_in_form(person["email"], "/reports/")
        ACTIVE_LISTENERS.append(person)

    @task
    def reports_page(self) -> None:
        """Open the reports page and hold its event stream for a while, as the page does."""
        self.page("/reports/", "/reports/")
        started = time.perf_counter()
        hold_s = random.uniform(30, 90)
        answer = self.client.get(
            STREAM, name=STREAM, stream=True, headers={"Accept": "text/event-stream"}, timeout=60
        )
        try:
            if not answer.ok:
                return
            buffer = b""
            for chunk in answer.iter_content(chunk_size=None):
                buffer += chunk
                while b"\n\n" in buffer:
                    block, buffer = buffer.split(b"\n\n", 1)
                    self._event(block.decode("utf-8"), started)
                if time.perf_counter() - started > hold_s:
                    break
        except OSError as exc:  # requests' read errors are OSErrors too
            self._sse("stream read", 0.0, exc)
        finally:
            answer.close()

    def _event(self, block: str, started: float) -> None:
        fields = dict(
            line.split(": ", 1) for line in block.splitlines() if ": " in line and line[0] != ":"
        )
        if fields.get("event") == "unread":
            self._sse("first event (unread) after connecting", time.perf_counter() - started)
        elif fields.get("event") == "notification":
            created = datetime.fromisoformat(json.loads(fields["data"])["created_at"])
            delay_s = time.time() - created.timestamp()
            self._sse("notification pushed (created -> received)", delay_s)

    def _sse(self, name: str, seconds: float, exception: Exception | None = None) -> None:
        events.request.fire(
            request_type="SSE",
            name=name,
            response_time=seconds * 1000,
            response_length=0,
            exception=exception,
            context=self.context(),
        )
