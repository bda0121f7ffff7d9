"""The engine is generic: another readiness tool is a framework document, not new code."""

from ..conftest import BASE

T = {"en": "Text", "fr": "Texte"}


def _indicator(key: str, critical: bool = False) -> dict:
    return {
        "key": key,
        "question": {"en": f"{key}?", "fr": f"{key} ?"},
        "guidance": T,
        "critical": critical,
        "levels": {str(n): T for n in range(1, 6)},
        "recommendations": [
            {
                "key": f"{key}.start",
                "max_level": 3,
                "effort": "low",
                "horizon": "0-6",
                "tags": ["blockchain"],
                "text": {"en": f"Start {key}", "fr": f"Lancer {key}"},
            }
        ],
    }


BLOCKCHAIN = {
    "key": "pilot-ledger-readiness",
    "version": "0.1",
    "title": {"en": "Blockchain readiness", "fr": "Préparation à la chaîne de blocs"},
    "description": T,
    "levels": [{"value": n, "name": {"en": f"L{n}", "fr": f"N{n}"}} for n in range(1, 6)],
    "areas": [
        {
            "key": "ledger",
            "name": {"en": "Ledger", "fr": "Registre"},
            "description": T,
            "indicators": [_indicator("ledger.nodes", critical=True), _indicator("ledger.keys")],
        },
        {
            "key": "partners",
            "name": {"en": "Partners", "fr": "Partenaires"},
            "description": T,
            "indicators": [_indicator("partners.mou"), _indicator("partners.data")],
        },
        {
            "key": "law",
            "name": {"en": "Law", "fr": "Droit"},
            "description": T,
            "indicators": [_indicator("law.evidence")],
        },
    ],
    "use_cases": [
        {
            "key": "certificates",
            "name": T,
            "description": T,
            "minimum": {"ledger": 3, "partners": 2},
        }
    ],
}


def test_a_blockchain_framework_runs_on_the_same_engine(client, auth):
    operator = auth(sub="op", administration_id=None, roles=("operator",))
    published = client.post(f"{BASE}/frameworks", json={"document": BLOCKCHAIN}, headers=operator)
    assert published.status_code == 201, published.json
    created = client.post(
        f"{BASE}/assessments",
        headers=auth(),
        json={"title": "Chaîne de blocs", "framework_key": "pilot-ledger-readiness"},
    )
    assert created.status_code == 201, created.json
    aid = created.json["id"]
    assert created.json["framework_version"] == "0.1"
    for key, level in (("ledger.nodes", 1), ("ledger.keys", 5), ("partners.mou", 2)):
        saved = client.put(
            f"{BASE}/assessments/{aid}/answers/{key}", json={"value": level}, headers=auth()
        )
        assert saved.status_code == 200, saved.json
    wrong = client.put(
        f"{BASE}/assessments/{aid}/answers/data.electronic", json={"value": 3}, headers=auth()
    )
    assert wrong.json["code"] == "unknown_indicator"
    results = client.get(f"{BASE}/assessments/{aid}/results", headers=auth()).json
    ledger = next(a for a in results["areas"] if a["area"] == "ledger")
    assert ledger["raw_score"] == 3.0 and ledger["score"] == 2.0  # capped by ledger.nodes
    assert ledger["level_name"] == {"en": "L2", "fr": "N2"}
    assert results["feasibility"][0]["use_case"] == "certificates"
    assert results["priorities"][0]["recommendation"]["tags"] == ["blockchain"]
