"""Fixtures of the catalogue's API tests: signed-in editors, members, and item factories."""

from typing import Any

import pytest

ITEMS = "/api/v1/portal/content/items"


@pytest.fixture
def people(app, demo, login) -> dict[str, dict[str, str]]:
    """Return the Authorization headers of two editors, members of two administrations, an
    operator; plus ``anonymous`` (no headers)."""
    return {
        "editor": login("editor@demo.example"),
        "editor2": login("reviewer@demo.example"),
        "member": login("coordinator@demo.example"),
        "respondent": login("respondent@demo.example"),
        "other": login("coordinator@other.example"),
        "operator": login("operator@demo.example"),
        "anonymous": {},
    }


def item_data(
    title_en: str | None = "A resource",
    title_fr: str | None = None,
    *,
    body_en: str = "",
    body_fr: str = "",
    summary_en: str = "",
    summary_fr: str = "",
    **fields: Any,
) -> dict[str, Any]:
    """Return the JSON of a new item (a resource unless ``kind`` says otherwise)."""
    translations: dict[str, Any] = {}
    if title_en is not None:
        translations["en"] = {"title": title_en, "summary": summary_en, "body": body_en}
    if title_fr is not None:
        translations["fr"] = {"title": title_fr, "summary": summary_fr, "body": body_fr}
    return {"kind": "resource", "translations": translations, **fields}


@pytest.fixture
def content(client, people):
    """Return helpers that create items and move them through the workflow over the API."""

    class Content:
        def create(self, data: dict[str, Any], who: str = "editor") -> dict[str, Any]:
            response = client.post(ITEMS, json=data, headers=people[who])
            assert response.status_code == 201, response.json
            return response.json

        def patch(self, item_id: str, changes: dict[str, Any], who: str = "editor"):
            return client.patch(f"{ITEMS}/{item_id}", json=changes, headers=people[who])

        def act(self, item_id: str, action: str, who: str, **body: Any):
            return client.post(f"{ITEMS}/{item_id}/{action}", json=body, headers=people[who])

        def published(self, data: dict[str, Any]) -> dict[str, Any]:
            item = self.create(data)
            assert self.act(item["id"], "submit", "editor").status_code == 200
            response = self.act(item["id"], "publish", "editor2")
            assert response.status_code == 200, response.json
            return response.json

        def search(self, who: str = "anonymous", **params: Any):
            response = client.get(ITEMS, query_string=params, headers=people[who])
            assert response.status_code == 200, response.json
            return response.json

        def get(self, ref: str, who: str = "anonymous", headers=None, **params: Any):
            sent = {**people[who], **(headers or {})}
            return client.get(f"{ITEMS}/{ref}", query_string=params, headers=sent)

    return Content()
