"""What the request edge's checks cost, each figure beside a baseline measured in the same run.

    .venv/bin/python bench/edge_bench.py

In one process, through the assessment service's WSGI app (no network, so the figures are the
checks' own cost, not the machine's noise):

1. A clean request (``GET /api/v1/assessment/healthz`` with a query string) with the text rule
   checking its path and query, beside the same request with that check replaced by a no-op.
2. A write (``PUT`` of an answer, the autosave of every officer) with the per-caller write limit
   (one Redis round trip), beside the same write with the limit off (``WRITES_PER_CALLER=0``).
3. Loading a body of 50 answers with comments through the text rule, beside loading it through
   the same schema without it.

Rounds alternate with and without, so drift hits both alike. Exit status 1 when a target is missed.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import jwt  # noqa: E402
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402
from harness import (  # noqa: E402  (beside this file)
    Columns,
    Line,
    claimed_redis_database,
    default_redis_url,
    load_average,
    print_section,
    print_verdict,
)

ROUNDS, PER_ROUND = 7, 300


def _token(key: Ed25519PrivateKey) -> str:
    now = int(time.time())
    claims = {
        "iss": "bench",
        "aud": "smartcustoms",
        "sub": "coord-1",
        "iat": now,
        "exp": now + 3600,
        "administration_id": "adm-1",
        "roles": ["coordinator"],
    }
    return jwt.encode(claims, key, algorithm="EdDSA", headers={"kid": "bench"})


def _app(database: Path, redis_url: str, key: Ed25519PrivateKey, **extra: object):
    from assessment import create_app
    from assessment.models import Base

    entry = dict(jwt.algorithms.OKPAlgorithm.to_jwk(key.public_key(), as_dict=True))
    entry.update(kid="bench", use="sig", alg="EdDSA")
    config = {
        "TESTING": True,
        "DATABASE_URL": f"sqlite:///{database}",
        "REDIS_URL": redis_url,
        "AUTH_ISSUER": "bench",
        "AUTH_AUDIENCE": "smartcustoms",
        "AUTH_JWKS": {"keys": [entry]},
        "LOG_LEVEL": "WARNING",
        **extra,
    }
    app = create_app(config)
    app.extensions["db"].create_all(Base)
    return app


def _per_call_us(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    for _ in range(PER_ROUND):
        action()
    return (time.perf_counter() - started) / PER_ROUND * 1e6


def _paired(with_it: Callable[[], object], without: Callable[[], object]) -> tuple[float, float]:
    """Return the median µs per call with and without, rounds alternating."""
    on, off = [], []
    for _ in range(ROUNDS):
        on.append(_per_call_us(with_it))
        off.append(_per_call_us(without))
    return statistics.median(on), statistics.median(off)


def main() -> int:
    import shared.web
    from assessment.schemas import BulkAnswersSchema
    from shared.text import InputSchema

    load_before = os.getloadavg()[0]
    key = Ed25519PrivateKey.generate()
    headers = {"Authorization": f"Bearer {_token(key)}"}
    lines: list[Line] = []
    with tempfile.TemporaryDirectory() as tmp, claimed_redis_database(default_redis_url()) as url:
        limited = _app(Path(tmp) / "a.db", url, key)
        unlimited = _app(Path(tmp) / "b.db", url, key, WRITES_PER_CALLER=0)
        # The limit is per minute: this run's writes must all be counted, none refused.
        limited.extensions["writes"].limit = 10**9

        # 1. the text rule on a clean request's path and query
        client = limited.test_client()
        checked = shared.web.unsafe_request_text

        def read() -> object:
            return client.get("/api/v1/assessment/healthz?lang=fr&page=2")

        def read_unchecked() -> object:
            shared.web.unsafe_request_text = lambda path, query, args: (False, {})
            try:
                return read()
            finally:
                shared.web.unsafe_request_text = checked

        on, off = _paired(read, read_unchecked)
        lines.append(
            Line(
                "clean GET, text rule on path+query",
                f"{on:.0f} µs",
                f"without: {off:.0f} µs",
                "added < 5%",
                on <= off * 1.05,
            )
        )

        # 2. the per-caller write limit on an autosave
        ids = []
        for app in (limited, unlimited):
            created = app.test_client().post(
                "/api/v1/assessment/assessments", json={"title": "Bench"}, headers=headers
            )
            ids.append(created.get_json()["id"])
        indicator = "strategy.plan"  # an indicator of the shipped framework
        clients = (limited.test_client(), unlimited.test_client())

        def save(which: int) -> Callable[[], object]:
            path = f"/api/v1/assessment/assessments/{ids[which]}/answers/{indicator}"
            return lambda: clients[which].put(path, json={"value": 3}, headers=headers)

        probe = save(0)()
        if probe.status_code != 200:
            print(f"the answer save answered {probe.status_code}: {probe.get_data(as_text=True)}")
            return 1
        on, off = _paired(save(0), save(1))
        lines.append(
            Line(
                "autosave PUT, per-caller limit",
                f"{on:.0f} µs",
                f"limit off: {off:.0f} µs",
                "added < 500 µs",
                on - off < 500,
            )
        )

        # 3. the text rule over a bulk body
        body = {
            "respondents": [
                {
                    "user_id": f"officer-{n}",
                    "name": "Aïcha Diallo",
                    "answers": [
                        {
                            "indicator": f"area.ind{i}",
                            "value": 3,
                            "comment": "Données partielles ;\nà revoir en atelier.",
                            "evidence": "Rapport annuel 2025, p. 12",
                        }
                        for i in range(50)
                    ],
                }
                for n in range(4)
            ]
        }
        schema = BulkAnswersSchema()
        rule = InputSchema._refuse_unsafe_text

        def load_unchecked() -> object:
            InputSchema._refuse_unsafe_text = lambda self, data, **kwargs: data
            try:
                return schema.load(body)
            finally:
                InputSchema._refuse_unsafe_text = rule

        on, off = _paired(lambda: schema.load(body), load_unchecked)
        lines.append(
            Line(
                "200-answer bulk body, text rule",
                f"{on:.0f} µs",
                f"without: {off:.0f} µs",
                "added < 25%",
                on <= off * 1.25,
            )
        )
        for app in (limited, unlimited):
            app.extensions["db"].dispose()

    print(
        f"edge checks ({ROUNDS} rounds of {PER_ROUND} calls, medians; {load_average(load_before)})"
    )
    print_section("per call", lines, Columns(36, 10, 22, 16))
    return print_verdict(lines)


if __name__ == "__main__":
    sys.exit(main())
