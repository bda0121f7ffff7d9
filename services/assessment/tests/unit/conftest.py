import pytest

from assessment.framework import parse_framework

T = {"en": "text", "fr": "texte"}


def indicator(key, critical=False, weight=1.0, recs=None):
    return {
        "key": key,
        "question": T,
        "guidance": T,
        "critical": critical,
        "weight": weight,
        "levels": {n: T for n in range(1, 6)},
        "recommendations": recs
        if recs is not None
        else [
            {
                "key": f"{key}.basic",
                "max_level": 2,
                "text": {"en": f"do {key}", "fr": f"faire {key}"},
                "effort": "low",
                "horizon": "0-6",
                "tags": ["ai"],
            },
            {
                "key": f"{key}.next",
                "max_level": 4,
                "text": {"en": f"improve {key}", "fr": f"améliorer {key}"},
                "effort": "high",
                "horizon": "18-36",
                "tags": ["governance"],
            },
        ],
    }


def small_document():
    return {
        "key": "test-fw",
        "version": "1.0",
        "title": T,
        "description": T,
        "levels": [{"value": n, "name": T} for n in range(1, 6)],
        "areas": [
            {
                "key": "strategy",
                "name": T,
                "description": T,
                "indicators": [
                    indicator("strategy.a", critical=True),
                    indicator("strategy.b", weight=2.0),
                    indicator("strategy.c"),
                ],
            },
            {
                "key": "data",
                "name": T,
                "description": T,
                "foundation": True,
                "indicators": [
                    indicator("data.a"),
                    indicator("data.b", critical=True),
                    indicator("data.c"),
                ],
            },
        ],
        "use_cases": [
            {"key": "risk", "name": T, "description": T, "minimum": {"strategy": 2, "data": 3}},
            {"key": "chat", "name": T, "description": T, "minimum": {"strategy": 2}},
        ],
    }


@pytest.fixture(scope="session")
def framework():
    return parse_framework(small_document())
