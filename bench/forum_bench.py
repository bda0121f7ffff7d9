"""Benchmark of the portal's forum thread page: 1,000 threads x 20 posts in one category, the
thread list (first and deep page), one thread's posts and one thread read, in the portal's own
process, each figure beside the same process's ``/healthz`` measured in the same rounds.

    .venv/bin/python bench/forum_bench.py                           # SQLite, then PostgreSQL
    .venv/bin/python bench/forum_bench.py --databases postgresql --explain

For each database: a fresh database upgraded by the portal's migrations, the demo accounts, a
bulk load of ``--threads`` threads of ``--posts`` posts each in the category ``ai`` (some posts
quote an earlier one, authors vary), then the portal's WSGI app (``create_app``, not in testing
mode) called through Flask's test client as a signed-in member. No nginx and no gunicorn: the
figure is the request's work in the portal (routing, the token check, the queries, the JSON),
which is what the thread page adds; the gateway's cost is the catalogue bench's business.
Requests are measured in alternating rounds (the baseline, then each target), so a busy moment
of the machine weighs on all of them alike. Each target also shows its SQL statements per
request (an N+1 shows there) and, with ``--explain``, PostgreSQL's plan of each statement.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

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

FORUMS = "/api/v1/portal/forums"
CATEGORY = "ai"
LONG_THREAD = "thread-00000"  # the one with --long-posts posts
P95_TARGET_MS = 50.0
COLUMNS = Columns(label=34, value=30, baseline=44, target=14)
WORDS = [
    "risk",
    "engine",
    "manifest",
    "cargo",
    "declaration",
    "tariff",
    "origin",
    "valuation",
    "scanner",
    "container",
    "port",
    "border",
    "clearance",
    "data",
    "model",
    "training",
    "audit",
    "blockchain",
    "ledger",
    "cloud",
    "broker",
]


# ------------------------------------------------------------------------------ the data
def bulk_load(
    database_url: str, threads: int, posts: int, long_posts: int
) -> tuple[float, list[str]]:
    """Insert ``threads`` threads of ``posts`` posts each in one category, the oldest of them
    with ``long_posts`` posts instead; return the seconds it took and the thread ids, the most
    recently active first."""
    from sqlalchemy import insert

    from portal.forums.models import ForumPost, ForumThread
    from shared.db import Database

    rng = random.Random(7)
    started = time.perf_counter()
    start = datetime(2026, 1, 1, tzinfo=UTC)
    thread_rows, post_rows = [], []
    for t in range(threads):
        thread_id = f"thread-{t:05d}"
        opened = start + timedelta(minutes=7 * t)
        post_ids: list[str] = []
        count = long_posts if t == 0 and long_posts else posts
        for p in range(count):
            post_id = f"post-{t:05d}-{p:03d}"
            body = " ".join(rng.choices(WORDS, k=rng.randint(20, 120)))
            post_rows.append(
                {
                    "id": post_id,
                    "thread_id": thread_id,
                    "author_id": f"user-{rng.randint(1, 200)}",
                    "author_name": f"Member {rng.randint(1, 200)}",
                    "body": body,
                    "body_html": f"<p>{body}</p>",
                    "quoted_post_id": rng.choice(post_ids)
                    if post_ids and rng.random() < 0.3
                    else None,
                    "created_at": opened + timedelta(minutes=p),
                    "edited_at": None,
                    "hidden": rng.random() < 0.02,
                }
            )
            post_ids.append(post_id)
        thread_rows.append(
            {
                "id": thread_id,
                "category_key": CATEGORY,
                "title": " ".join(rng.choices(WORDS, k=6)),
                "language": rng.choice(("en", "fr")),
                "author_id": post_rows[-count]["author_id"],
                "author_name": post_rows[-count]["author_name"],
                "administration_id": None,
                "locked": False,
                "hidden": t > 0 and rng.random() < 0.02,
                "item_id": None,
                "created_at": opened,
                "last_post_at": opened + timedelta(minutes=count - 1),
            }
        )
    database = Database(database_url)
    try:
        with database.session(write=True) as session, session.begin():
            session.execute(insert(ForumThread.__table__), thread_rows)
            for first in range(0, len(post_rows), 5000):
                session.execute(insert(ForumPost.__table__), post_rows[first : first + 5000])
        with database.engine.connect().execution_options(
            isolation_level="AUTOCOMMIT"
        ) as connection:
            # what a bulk import does next (autovacuum would, later): fresh planner statistics
            connection.exec_driver_sql(
                "VACUUM ANALYZE" if database.engine.dialect.name == "postgresql" else "ANALYZE"
            )
    finally:
        database.dispose()
    visible = [row for row in thread_rows if not row["hidden"]]
    visible.sort(key=lambda row: row["last_post_at"], reverse=True)
    return time.perf_counter() - started, [row["id"] for row in visible]


def targets(thread_ids: list[str], args: argparse.Namespace) -> dict[str, list[str]]:
    """Return each measured request's paths (rotated over) by name."""
    page_size = args.page_size
    last_page = -(-len(thread_ids) // page_size)
    deep = max(1, args.long_posts // page_size * 9 // 10)
    ordinary = [t for t in thread_ids if t != LONG_THREAD]
    rotated = ordinary[:: max(1, len(ordinary) // 50)][:50]
    return {
        "baseline": [HEALTHZ],
        "thread list, page 1": [f"{FORUMS}/threads?category={CATEGORY}&page_size={page_size}"],
        f"thread list, page {last_page}": [
            f"{FORUMS}/threads?category={CATEGORY}&page={last_page}&page_size={page_size}"
        ],
        "thread's posts (API), page 1": [
            f"{FORUMS}/threads/{t}/posts?page_size={page_size}" for t in rotated
        ],
        "thread read": [f"{FORUMS}/threads/{t}" for t in rotated],
        "thread page (HTML), page 1": [f"/forums/threads/{t}" for t in rotated],
        **(
            {
                f"thread read, {args.long_posts:,} posts": [f"{FORUMS}/threads/{LONG_THREAD}"],
                "its page (HTML), page 1": [f"/forums/threads/{LONG_THREAD}"],
                "its posts (API), page 1": [
                    f"{FORUMS}/threads/{LONG_THREAD}/posts?page_size={page_size}"
                ],
                f"its posts (API), page {deep}": [
                    f"{FORUMS}/threads/{LONG_THREAD}/posts?page={deep}&page_size={page_size}"
                ],
            }
            if args.long_posts
            else {}
        ),
    }


def shape(client: Any, headers: dict[str, str], path: str, statements: Statements) -> str:
    """Return what one request of ``path`` answers: status, items, total, SQL statements."""
    with statements.record() as seen:
        response = client.get(path, headers=headers)
    if response.status_code != 200:
        return f"{response.status_code} (absent)"
    if response.mimetype == "text/html":
        posts = response.get_data(as_text=True).count('<article id="post-')
        return f"{posts} posts shown, {len(response.data) // 1024} KiB, {len(seen)} SQL"
    body = response.json
    items = len(body) if isinstance(body, list) else len(body.get("posts", []))
    total = response.headers.get("X-Total-Count", "-")
    return f"{items} items of {total}, {len(seen)} SQL"


def bench_database_kind(kind: str, args: argparse.Namespace, redis_url: str) -> list[Line]:
    """Load and measure one database; print its section; return its lines."""
    with portal_app(kind, args, redis_url, "forum") as (app, database_url):
        load_s, thread_ids = bulk_load(database_url, args.threads, args.posts, args.long_posts)
        run = measure_targets(app, targets(thread_ids, args), shape, args)
    return report(kind, args, load_s, run)


def report(kind: str, args: argparse.Namespace, load_s: float, run: Run) -> list[Line]:
    """Print one database's figures; return them."""
    lines = [
        Line(
            "bulk load",
            f"{args.threads:,} x {args.posts} in {load_s:.1f} s",
            f"{args.threads * args.posts:,} posts, one category",
        ),
        *target_lines(run, P95_TARGET_MS),
    ]
    print_section(
        f"{kind}: {args.threads:,} threads x {args.posts} posts; in process (Flask test client), "
        f"{args.requests} requests per target in {args.rounds} alternating rounds; "
        f"{load_average(run.load_before)}",
        lines,
        COLUMNS,
    )
    return lines


# ------------------------------------------------------------------------------- entry point
def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--databases", default="sqlite,postgresql", help="which, comma-separated")
    parser.add_argument("--threads", type=int, default=1000, help="threads in the category")
    parser.add_argument("--posts", type=int, default=20, help="posts per thread")
    parser.add_argument(
        "--long-posts", type=int, default=2000, help="posts of one long thread (0: none)"
    )
    parser.add_argument("--page-size", type=int, default=20, help="page_size of the lists")
    add_round_arguments(parser)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return 0 when every target is met."""
    return bench_each_database_kind(parse_args(argv), bench_database_kind)


if __name__ == "__main__":
    sys.exit(main())
