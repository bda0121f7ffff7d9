"""Helpers of the peer tests: administrations with submitted assessments of known scores."""

from __future__ import annotations

from typing import Any

BASE = "/api/v1/assessment"
FRAMEWORK = "ai-ml-readiness"


def coordinator(auth: Any, administration: str) -> dict[str, str]:
    """Return the headers of the coordinator of ``administration``."""
    return auth(f"coord-{administration}", administration)


def area_indicators(client: Any, headers: dict[str, str], version: str) -> dict[str, list[str]]:
    """Return the indicator keys of each area of the framework version."""
    document = client.get(f"{BASE}/frameworks/{FRAMEWORK}/{version}", headers=headers).json
    return {a["key"]: [i["key"] for i in a["indicators"]] for a in document["document"]["areas"]}


def submitted(
    client: Any,
    auth: Any,
    administration: str,
    levels: dict[str, int],
    respondents: tuple[str, ...] = (),
) -> str:
    """Start, invite ``respondents``, answer (each indicator of each area of ``levels`` at that
    level) and submit."""
    headers = coordinator(auth, administration)
    created = client.post(f"{BASE}/assessments", json={"title": "Readiness"}, headers=headers)
    assert created.status_code == 201, created.json
    aid = created.json["id"]
    keys = area_indicators(client, headers, created.json["framework_version"])
    for user_id in respondents:
        invited = client.put(
            f"{BASE}/assessments/{aid}/participants/{user_id}",
            json={"name": user_id, "areas": []},
            headers=headers,
        )
        assert invited.status_code == 200, invited.json
    for area, level in levels.items():
        for key in keys[area]:
            saved = client.put(
                f"{BASE}/assessments/{aid}/answers/{key}",
                json={"value": level, "confidence": "high"},
                headers=headers,
            )
            assert saved.status_code == 200, saved.json
    done = client.post(f"{BASE}/assessments/{aid}/submit", headers=headers)
    assert done.status_code == 200, done.json
    return aid


def area_scores(client: Any, headers: dict[str, str], aid: str) -> dict[str, float | None]:
    """Return the assessment's score per area, as its results say."""
    results = client.get(f"{BASE}/assessments/{aid}/results", headers=headers).json
    return {a["area"]: a["score"] for a in results["areas"]}
