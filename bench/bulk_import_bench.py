"""Benchmark of bulk imports: validate + store + score of 500,000 answers, beside a plain bulk
insert of the same rows into the same table in the same run, and the importer's memory.

    .venv/bin/python bench/bulk_import_bench.py                    # SQLite in a temp dir
    .venv/bin/python bench/bulk_import_bench.py --database-url postgresql://postgres@127.0.0.1/postgres
    .venv/bin/python bench/bulk_import_bench.py --respondents 2000 # a quick look

What runs: the assessment service's own code (``assessment.bulk``), on a fresh database, with
an assessment whose team has N respondents (10,000 by default; inserted directly, not timed).
A CSV of N respondents x 50 answers (one row per respondent and indicator, the documented
format) is accepted as an import job the way the API does (spooled, stored in chunks), then run
by the importer's ``run_job`` in a child process (``--child``), which prints its time and its
peak resident memory (``ru_maxrss``): the count pass, reading, validation (respondent,
indicator, assignment, level, confidence, text rule), the upserts in batches with the progress,
the scores of the assessment and the finish (history, outbox).

1. Import rate (rows/s) in accept-valid mode, beside the **plain insert** of the same rows into
   the same ``answers`` table (other assessment id, no conflict): ``COPY`` on PostgreSQL (the
   target is against it), ``executemany`` in one transaction on SQLite; PostgreSQL's
   ``executemany`` for information. Target on PostgreSQL: >= 50 % of the plain insert rate.
2. Peak RSS of the importing process with N respondents beside 1/10 of them: the file is
   streamed, so within 30 MB.
3. Workbook generation of the full framework, EN and FR (information: seconds each).

Only 127.0.0.1 is used; databases it creates are dropped on exit. Exit status 1 when a target
is missed.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

from harness import (  # noqa: E402  (beside this file)
    Columns,
    Line,
    add_server_arguments,
    claimed_redis_database,
    fresh_database,
    print_section,
    print_verdict,
)

ANSWERS = 50
COLUMNS = Columns(52, 16, 34, 14)
SECRET = "bench-workbook-secret"


def _app(database_url: str, redis_url: str) -> Any:
    from assessment import create_app
    from assessment.frameworks import sync_repository_frameworks
    from assessment.migrations import SCHEMA
    from shared.migrations import upgrade

    upgrade(SCHEMA, database_url)  # the app refuses a database behind its code
    app = create_app(
        {
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "ASSESSMENT_WORKBOOK_SECRET": SECRET,
            "AUTH_JWKS": {"keys": []},
            "LOG_LEVEL": "WARNING",
            "LOG_FORMAT": "text",
        }
    )
    with app.extensions["db"].session(write=True) as session:
        sync_repository_frameworks(session=session)
    return app


def _team(app: Any, respondents: int) -> tuple[str, list[str]]:
    """Create an assessment and its respondents directly; return its id and 50 indicators."""
    from assessment.frameworks import FrameworkCache
    from assessment.models import Assessment, Participant

    database = app.extensions["db"]
    assessment_id = str(uuid.uuid4())
    with database.session(write=True) as session, session.begin():
        session.add(
            Assessment(
                id=assessment_id,
                administration_id="adm-bench",
                title="Bench campaign",
                framework_key="ai-ml-readiness",
                framework_version="1.0",
                created_by="coord-bench",
            )
        )
        session.flush()
        session.execute(
            Participant.__table__.insert(),
            [
                {
                    "assessment_id": assessment_id,
                    "user_id": f"off-{n}",
                    "name": f"Officer {n}",
                    "email": f"off{n}@douanes.example",
                    "role": "respondent",
                    "areas": [],
                    "invited_by": "coord-bench",
                }
                for n in range(respondents)
            ],
        )
        framework = FrameworkCache().get(session=session, key="ai-ml-readiness", version="1.0")
    return assessment_id, [i.key for i in framework.indicators][:ANSWERS]


def _write_csv(path: Path, respondents: int, keys: list[str]) -> int:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["respondent", "indicator", "answer", "confidence", "evidence"])
        for n in range(respondents):
            email = f"off{n}@douanes.example"
            for i, key in enumerate(keys):
                writer.writerow(
                    [email, key, 1 + (n * 7 + i) % 5, ("low", "medium", "high")[i % 3], ""]
                )
    return respondents * len(keys)


def _submit(app: Any, assessment_id: str, path: Path, mode: str) -> str:
    from assessment.bulk import jobs
    from shared.auth import Principal

    principal = Principal("coord-bench", "adm-bench", frozenset({"coordinator"}))
    spool = jobs.Spool.open()
    try:
        with path.open("rb") as stream:
            upload = jobs.spool(
                stream, name=path.name, position=0, limit=1 << 31, directory=spool.directory
            )
        with app.extensions["db"].session(write=True) as session:
            job = jobs.submit_import(
                session=session,
                principal=principal,
                cache=app.extensions["frameworks"],
                assessment_id=assessment_id,
                mode=mode,
                language="en",
                uploads=[upload],
            )
            return job.id
    finally:
        spool.close()


def _child(args: argparse.Namespace) -> None:
    """Run one import job in this process; print its time and peak RSS as JSON."""
    from assessment.bulk import importer
    from assessment.bulk.runner import settings_of

    app = _app(args.child_database, args.redis_url)
    database = app.extensions["db"]
    settings = settings_of(app)
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
    before = resource.getrusage(resource.RUSAGE_SELF)
    cpu_before = before.ru_utime + before.ru_stime
    started = time.perf_counter()
    if profiler is not None:
        profiler.enable()
    job_id = importer.claim_next(db=database, owner="bench", lease_s=settings.lease_s)
    status = importer.run_job(
        db=database,
        cache=app.extensions["frameworks"],
        settings=settings,
        job_id=str(job_id),
        owner="bench",
    )
    seconds = time.perf_counter() - started
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(args.profile)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(
        json.dumps(
            {
                "status": status,
                "seconds": seconds,
                "cpu_s": usage.ru_utime + usage.ru_stime - cpu_before,
                "peak_mb": usage.ru_maxrss / 1024,
            }
        )
    )


def _run_child(database_url: str, redis_url: str, profile: str | None) -> dict[str, Any]:
    argv = [
        sys.executable, str(Path(__file__).resolve()), "--child-database", database_url,
        "--redis-url", redis_url, *(["--profile", profile] if profile else []),
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"the importing child failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _plain_insert(app: Any, respondents: int, keys: list[str], how: str) -> float:
    """Insert the same rows into ``answers`` for another assessment; return rows per second."""
    from assessment.models import Answer, Assessment
    from shared.timestamps import utcnow

    database = app.extensions["db"]
    other = str(uuid.uuid4())
    with database.session(write=True) as session, session.begin():
        session.add(
            Assessment(
                id=other,
                administration_id="adm-bench",
                title="Plain insert",
                framework_key="ai-ml-readiness",
                framework_version="1.0",
                created_by="coord-bench",
            )
        )
    now = utcnow()
    rows = [
        (
            other,
            key,
            f"off-{n}",
            str(1 + (n * 7 + i) % 5),
            ("low", "medium", "high")[i % 3],
            "",
            "",
            now,
        )
        for n in range(respondents)
        for i, key in enumerate(keys)
    ]
    columns = ("assessment_id", "indicator", "respondent_id", "value", "confidence", "comment",
               "evidence", "updated_at")  # fmt: skip
    started = time.perf_counter()
    raw = database.engine.raw_connection()
    try:
        cursor = raw.cursor()
        if how == "copy":
            with cursor.copy(f"COPY answers ({', '.join(columns)}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s" if how == "executemany-pg" else "?"] * len(columns))
            values = rows if how == "executemany-pg" else [(*r[:-1], now.isoformat()) for r in rows]
            if how != "executemany-pg":
                # SQLAlchemy leaves pysqlite in autocommit: without this, one transaction per row.
                cursor.execute("BEGIN")
            cursor.executemany(
                f"INSERT INTO answers ({', '.join(columns)}) VALUES ({marks})", values
            )
        raw.commit()
    finally:
        raw.close()
    seconds = time.perf_counter() - started
    with database.session(write=True) as session, session.begin():
        session.execute(Answer.__table__.delete().where(Answer.assessment_id == other))
    return len(rows) / seconds


def _workbook_seconds(app: Any) -> dict[str, float]:
    from assessment.bulk import workbook

    with app.extensions["db"].session() as session:
        framework = app.extensions["frameworks"].get(
            session=session, key="ai-ml-readiness", version="1.0"
        )
    timings = {}
    for language in ("en", "fr"):
        started = time.perf_counter()
        content = workbook.build_workbook(framework, language, secret=SECRET.encode())
        timings[language] = time.perf_counter() - started
        assert content[:2] == b"PK"
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    add_server_arguments(parser)
    parser.add_argument("--respondents", type=int, default=10_000)
    parser.add_argument("--child-database", default=None, help=argparse.SUPPRESS)
    parser.add_argument(
        "--profile",
        default=None,
        help="write a cProfile of the importing child to this file (the figures then carry "
        "the profiler's cost: compare only runs made the same way)",
    )
    args = parser.parse_args()
    if args.child_database:
        _child(args)
        return 0
    sys.path[:0] = [str(REPO_ROOT / "shared"), str(REPO_ROOT / "services" / "assessment")]
    lines: list[Line] = []
    is_pg = bool(args.database_url)
    kind = "PostgreSQL" if is_pg else "SQLite"
    with tempfile.TemporaryDirectory() as tmp, claimed_redis_database(args.redis_url) as redis_url:
        figures = {}
        for respondents in (args.respondents // 10, args.respondents):
            name = f"sc_bench_import_{os.getpid()}_{respondents}"
            with fresh_database(args.database_url, Path(tmp) / f"{name}.db", name) as url:
                app = _app(url, redis_url)
                assessment_id, keys = _team(app, respondents)
                path = Path(tmp) / f"answers-{respondents}.csv"
                rows = _write_csv(path, respondents, keys)
                _submit(app, assessment_id, path, "accept_valid")
                profile = args.profile if respondents == args.respondents else None
                result = _run_child(url, redis_url, profile)
                assert result["status"] == "succeeded", result
                result["rows"] = rows
                result["rate"] = rows / result["seconds"]
                if respondents == args.respondents:
                    baseline_how = "copy" if is_pg else "executemany-sqlite"
                    result["plain"] = _plain_insert(app, respondents, keys, baseline_how)
                    if is_pg:
                        result["plain_executemany"] = _plain_insert(
                            app, respondents, keys, "executemany-pg"
                        )
                    result["workbook"] = _workbook_seconds(app)
                app.extensions["db"].dispose()
                figures[respondents] = result
        big, small = figures[args.respondents], figures[args.respondents // 10]
        share = big["rate"] / big["plain"]
        baseline = "COPY" if is_pg else "executemany, one transaction"
        lines.append(
            Line(
                f"{kind}: import {big['rows']:,} answers, rows/s",
                f"{big['rate']:,.0f}",
                f"plain insert ({baseline}) {big['plain']:,.0f}",
                ">= 50 %" if is_pg else "(information)",
                (share >= 0.5) if is_pg else None,
            )
        )
        lines.append(Line("  import rate / plain insert rate", f"{100 * share:.0f} %"))
        if is_pg:
            lines.append(
                Line("  plain executemany (information)", f"{big['plain_executemany']:,.0f}")
            )
        lines.append(Line("  import time, s", f"{big['seconds']:.1f}"))
        # Less moved by other work on the machine than the rate: the Python side of the import.
        lines.append(Line("  importing process CPU time, s", f"{big['cpu_s']:.1f}"))
        lines.append(
            Line(
                f"peak RSS importing {big['rows']:,} answers, MB",
                f"{big['peak_mb']:.0f}",
                f"{small['rows']:,} answers: {small['peak_mb']:.0f}",
                "<= +30 MB",
                big["peak_mb"] - small["peak_mb"] <= 30,
            )
        )
        for language, seconds in big["workbook"].items():
            lines.append(Line(f"workbook of the full framework ({language}), s", f"{seconds:.2f}"))
    print_section(
        f"Bulk import ({kind}, {args.respondents:,} respondents x {ANSWERS})", lines, COLUMNS
    )
    return print_verdict(lines)


if __name__ == "__main__":
    raise SystemExit(main())
