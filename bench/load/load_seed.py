"""The data a load test needs, created through the gateway's public API as a real platform
operator and coordinator would: its own administration, its accounts, a workshop assessment
with every respondent invited, and the published catalogue's slugs and words to search for.

    from load_seed import accounts_needed, seed
    plan = seed("http://127.0.0.1:8080", accounts_needed(50), Path("seed.json"))

The JSON file written is what ``locustfile.py`` reads (``LOAD_SEED_FILE``). Every account
gets the same password; the administration's name carries a random tag, so seeding twice into
one platform (a shared test session) never collides with earlier data.
"""

from __future__ import annotations

import json
import math
import re
import secrets
from pathlib import Path
from typing import Any

# The user classes of locustfile.py and their weights (it imports them from here).
WEIGHTS = {"AnonymousBrowser": 20, "Respondent": 20, "Coordinator": 5, "LiveListener": 5}
OPERATOR = "operator@demo.example"  # seeded by ``flask --app portal seed-demo``
DEMO_PASSWORD = "demo-password-2026"
PASSWORD = "load-test-password-2026"  # the load test's own accounts
AREAS_PER_RESPONDENT = 2
CATALOGUE_PAGES = 5  # pages of 100 public items read for slugs and words
STOPWORDS = {"the", "and", "for", "with", "des", "les", "pour", "dans", "une", "sur", "aux"}


def accounts_needed(users: int) -> dict[str, int]:
    """Return how many accounts each signed-in class needs for ``users`` locust users."""
    total = sum(WEIGHTS.values())
    return {
        name: max(1, math.ceil(users * weight / total)) + 1
        for name, weight in WEIGHTS.items()
        if name != "AnonymousBrowser"
    }


class Api:
    """A signed-in caller of the gateway's API (bearer token)."""

    def __init__(self, base: str, email: str, password: str) -> None:
        import requests  # here: locustfile.py imports this module before gevent patches sockets

        self.base = base
        self.http = requests.Session()
        answer = self.http.post(
            f"{base}/api/v1/portal/auth/login",
            json={"email": email, "password": password},
            timeout=30,
        )
        answer.raise_for_status()
        self.http.headers["Authorization"] = f"Bearer {answer.json()['access_token']}"

    def call(self, method: str, path: str, expected: int = 200, **kwargs: Any) -> Any:
        """Send one request; return its JSON body (raise on another status)."""
        answer = self.http.request(method, f"{self.base}{path}", timeout=60, **kwargs)
        if answer.status_code != expected:
            raise RuntimeError(f"{method} {path}: {answer.status_code} {answer.text[:300]}")
        return answer.json() if answer.content else None

    def close(self) -> None:
        """Close the connections."""
        self.http.close()


def _create_users(
    operator: Api, administration: str, tag: str, kind: str, count: int, role: str
) -> list[dict[str, Any]]:
    users: list[dict[str, Any]] = []
    for number in range(count):
        email = f"{kind}-{number}-{tag}@load.example"
        created = operator.call(
            "POST",
            f"/api/v1/portal/administrations/{administration}/users",
            expected=201,
            json={
                "email": email,
                "display_name": f"{kind.title()} {number}",
                "password": PASSWORD,
                "roles": [role],
            },
        )
        users.append({"email": email, "id": created["id"], "name": created["display_name"]})
    return users


def _framework(api: Api, key: str, version: str) -> dict[str, Any]:
    document = api.call("GET", f"/api/v1/assessment/frameworks/{key}/{version}")["document"]
    return {
        "key": key,
        "version": version,
        "areas": {
            area["key"]: [indicator["key"] for indicator in area["indicators"]]
            for area in document["areas"]
        },
    }


def _catalogue(base: str) -> dict[str, list[str]]:
    """Return the public items' slugs, kinds, technologies and title words (anonymous reads)."""
    import requests

    slugs: list[str] = []
    found: dict[str, set[str]] = {"kinds": set(), "technologies": set(), "words": set()}
    for page in range(1, CATALOGUE_PAGES + 1):
        answer = requests.get(
            f"{base}/api/v1/portal/content/items",
            params={"page": str(page), "page_size": "100", "sort": "newest"},
            timeout=30,
        )
        answer.raise_for_status()
        body = answer.json()
        for item in body["items"]:
            slugs.append(item["slug"])
            found["kinds"].add(item["kind"])
            found["technologies"] |= {tag["code"] for tag in item["technologies"]}
            found["words"] |= {
                w for w in re.findall(r"[^\W\d_]{4,}", item["title"].lower()) if w not in STOPWORDS
            }
        if page >= body["pages"]:
            break
    return {"slugs": slugs, **{name: sorted(values) for name, values in found.items()}}


def seed(base: str, counts: dict[str, int], out: Path) -> dict[str, Any]:
    """Create the load test's data through the gateway at ``base``; write and return the plan."""
    tag = secrets.token_hex(4)
    operator = Api(base, OPERATOR, DEMO_PASSWORD)
    try:
        administration = operator.call(
            "POST",
            "/api/v1/portal/administrations",
            expected=201,
            json={"name": f"Load test administration {tag}", "default_language": "fr"},
        )["id"]
        people = {
            kind: _create_users(operator, administration, tag, kind, counts[cls], role)
            for kind, cls, role in (
                ("coordinator", "Coordinator", "coordinator"),
                ("respondent", "Respondent", "respondent"),
                ("listener", "LiveListener", "respondent"),
            )
        }
    finally:
        operator.close()
    lead = Api(base, people["coordinator"][0]["email"], PASSWORD)
    try:
        workshop = lead.call(
            "POST",
            "/api/v1/assessment/assessments",
            expected=201,
            json={"title": f"Atelier d'auto-évaluation {tag}", "language": "fr"},
        )
        framework = _framework(lead, workshop["framework_key"], workshop["framework_version"])
        area_keys = list(framework["areas"])
        for number, person in enumerate(people["respondent"]):
            start = (number * AREAS_PER_RESPONDENT) % len(area_keys)
            person["areas"] = [
                area_keys[(start + k) % len(area_keys)] for k in range(AREAS_PER_RESPONDENT)
            ]
            lead.call(
                "PUT",
                f"/api/v1/assessment/assessments/{workshop['id']}/participants/{person['id']}",
                json={"name": person["name"], "role": "respondent", "areas": person["areas"]},
            )
    finally:
        lead.close()
    catalogue = _catalogue(base)
    plan = {
        "tag": tag,
        "password": PASSWORD,
        "administration_id": administration,
        "workshop_id": workshop["id"],
        "framework": framework,
        **catalogue,
        **{f"{kind}s": users for kind, users in people.items()},
    }
    out.write_text(json.dumps(plan, ensure_ascii=False, indent=1), encoding="utf-8")
    return plan
