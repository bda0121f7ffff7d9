"""Benchmark of the forums' members lookup (the reply form's mentions picker):
``GET /api/v1/portal/forums/members?q=`` over 5,000 users, in the portal's own process, each
figure beside the same process's ``/healthz`` measured in the same rounds.

    .venv/bin/python bench/members_bench.py                          # PostgreSQL
    .venv/bin/python bench/members_bench.py --databases sqlite,postgresql --explain

For each database: a fresh database upgraded by the portal's migrations, the demo accounts, a
bulk load of ``--users`` users over 20 administrations (names drawn from French, Portuguese and
English first names and surnames, accents included; about 5 % inactive, a few machine-client
roles the forums refuse, a few editors without an administration), then the portal's WSGI app
(``create_app``, not in testing mode) called through Flask's test client as a signed-in member.
The queries range from one letter (most users match) to a full name and a prefix nobody has;
each target shows what it answered and its SQL statements, and with ``--explain`` PostgreSQL's
plan of each statement.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

from harness import (  # noqa: E402  (beside this file)
    Columns,
    Line,
    bench_each_database_kind,
    load_average,
    print_section,
)
from in_process import (  # noqa: E402
    HEALTHZ,
    Run,
    Statements,
    add_round_arguments,
    measure_targets,
    portal_app,
    target_lines,
)

MEMBERS = "/api/v1/portal/forums/members"
P95_TARGET_MS = 50.0
COLUMNS = Columns(label=30, value=30, baseline=46, target=14)
FIRST = [
    "Hélène",
    "Élodie",
    "Amélie",
    "Céline",
    "Chloé",
    "Léa",
    "Zoé",
    "Noémie",
    "Maëlle",
    "Inès",
    "Marie",
    "Anne",
    "Ana",
    "Joana",
    "Inês",
    "Mariana",
    "Beatriz",
    "Leonor",
    "Conceição",
    "Sofia",
    "Emily",
    "Grace",
    "Olivia",
    "Sarah",
    "François",
    "Jérôme",
    "Théo",
    "Benoît",
    "Loïc",
    "Gaël",
    "Hervé",
    "Stéphane",
    "Jean",
    "Pierre",
    "Marc",
    "João",
    "José",
    "António",
    "Gonçalo",
    "Luís",
    "Sebastião",
    "Tomás",
    "David",
    "James",
    "Oliver",
    "Thomas",
    "William",
]
LAST = [
    "Lefèvre",
    "Dupré",
    "Bérénger",
    "Géraud",
    "Lemaître",
    "Mégret",
    "Thévenin",
    "Crémieux",
    "Hébert",
    "Duchêne",
    "Martin",
    "Bernard",
    "Dubois",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Garcia",
    "Roux",
    "Fournier",
    "Gonçalves",
    "Simões",
    "Magalhães",
    "Conceição",
    "Estêvão",
    "Guimarães",
    "Araújo",
    "Brandão",
    "Lopes",
    "Silva",
    "Santos",
    "Ferreira",
    "Pereira",
    "Costa",
    "Oliveira",
    "Rodrigues",
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Evans",
]
# name -> query (what a replier types): one letter, a common prefix, an accent-free prefix of an
# accented name, a word inside the name, a full name, a prefix nobody's name has
QUERIES = {
    "1 letter (m)": "m",
    "3 letters (mar)": "mar",
    "accent-free (helene lef)": "helene lef",
    "a surname word (goncal)": "goncal",
    "a full name": "Stéphane Brandão",
    "no one (xqz)": "xqz",
}


def bulk_load(database_url: str, users: int) -> float:
    """Insert ``users`` users over 20 administrations; return the seconds it took."""
    from sqlalchemy import insert

    from portal.models import Administration, User
    from portal.names import folded
    from shared.db import Database

    rng = random.Random(15)
    started = time.perf_counter()
    created = datetime(2026, 1, 1, tzinfo=UTC)
    administrations = [
        {
            "id": f"admin-{a:02d}",
            "name": f"Customs Administration {a:02d}",
            "country_code": f"X{chr(65 + a)}",
            "default_language": rng.choice(("en", "fr", "pt")),
            "region": None,
            "created_at": created,
        }
        for a in range(20)
    ]
    rows = []
    for n in range(users):
        roles = rng.choices(("respondent", "coordinator", "client", "editor"), (70, 24, 3, 3))[0]
        administration = None if roles == "editor" else rng.choice(administrations)["id"]
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        rows.append(
            {
                "id": f"user-{n:05d}",
                "administration_id": administration,
                "email": f"user-{n:05d}@bench.example",
                "display_name": name,
                "name_key": folded(name),  # what User's validator keeps (a bulk insert skips it)
                "password_hash": "bench-no-sign-in",
                "roles": roles,
                "language": rng.choice(("en", "fr", "pt")),
                "active": rng.random() >= 0.05,
                "created_at": created + timedelta(minutes=n),
            }
        )
    database = Database(database_url)
    try:
        with database.session(write=True) as session, session.begin():
            session.execute(insert(Administration.__table__), administrations)
            for first in range(0, len(rows), 2000):
                session.execute(insert(User.__table__), rows[first : first + 2000])
        with database.engine.connect().execution_options(
            isolation_level="AUTOCOMMIT"
        ) as connection:
            connection.exec_driver_sql(
                "VACUUM ANALYZE" if database.engine.dialect.name == "postgresql" else "ANALYZE"
            )
    finally:
        database.dispose()
    return time.perf_counter() - started


def targets() -> dict[str, list[str]]:
    """Return each measured request's path by name."""
    queries = {n: [f"{MEMBERS}?q={quote(q)}"] for n, q in QUERIES.items()}
    return {"baseline": [HEALTHZ], **queries}


def shape(client: Any, headers: dict[str, str], path: str, statements: Statements) -> str:
    """Return what one request of ``path`` answers: members found, SQL statements."""
    with statements.record() as seen:
        response = client.get(path, headers=headers)
    body = response.json
    found = len(body) if isinstance(body, list) else "-"
    return f"{found} found, {len(seen)} SQL"


def bench_database_kind(kind: str, args: argparse.Namespace, redis_url: str) -> list[Line]:
    """Load and measure one database; print its section; return its lines."""
    with portal_app(kind, args, redis_url, "members") as (app, database_url):
        load_s = bulk_load(database_url, args.users)
        run = measure_targets(app, targets(), shape, args, explained=("3 letters (mar)",))
    return report(kind, args, load_s, run)


def report(kind: str, args: argparse.Namespace, load_s: float, run: Run) -> list[Line]:
    """Print one database's figures; return them."""
    lines = [
        Line("bulk load", f"{args.users:,} users in {load_s:.1f} s", "20 administrations"),
        *target_lines(run, P95_TARGET_MS),
    ]
    print_section(
        f"{kind}: members lookup over {args.users:,} users; in process (Flask test client), "
        f"{args.requests} requests per target in {args.rounds} alternating rounds; "
        f"{load_average(run.load_before)}",
        lines,
        COLUMNS,
    )
    return lines


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--databases", default="postgresql", help="which, comma-separated")
    parser.add_argument("--users", type=int, default=5000, help="users beside the demo ones")
    add_round_arguments(parser)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return 0 when every target is met."""
    return bench_each_database_kind(parse_args(argv), bench_database_kind)


if __name__ == "__main__":
    sys.exit(main())
