"""The assessment service's schema migrations on the selected database (TEST_DB): they build the
models' schema exactly, 0001 is the schema before the bulk imports, an upgrade from 0001 with
data keeps every row, 0002, 0003 and 0004 downgrade, pre-migration databases are adopted, and the
processes refuse to start on a database behind their code."""

import importlib.util
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Column, MetaData, Table, Text, create_engine, inspect, select, text
from sqlalchemy.pool import NullPool

import assessment
from assessment import create_app
from assessment.migrations import SCHEMA
from assessment.models import Base
from shared import migrations
from shared.migrations import SchemaBehind
from shared.testing import schema_state

pytestmark = pytest.mark.integration

AT = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
HEAD = "0007"
IMPORT_TABLES = {"import_jobs", "import_files", "import_file_chunks", "import_problems"}
BEHIND = (
    f"database of assessment is at revision 0001, code needs {HEAD}: "
    "run `flask --app assessment db upgrade`"
)


def _models_before_migrations():
    """Load the frozen models of ``b27b253~1`` (their own declarative base) once."""
    name = "assessment_models_before_migrations"
    if name not in sys.modules:
        path = Path(__file__).with_name("models_before_migrations.py")
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # SQLAlchemy resolves the annotations through it
        spec.loader.exec_module(module)
    return sys.modules[name]


OLD = _models_before_migrations()


@pytest.fixture
def engine(database_url):
    engine = create_engine(database_url, poolclass=NullPool)
    yield engine
    engine.dispose()


# Rows of every table of 0001, written as the service wrote them before the bulk imports.
ROWS = {
    "framework_versions": [
        {
            "id": 1,
            "key": "ai-ml-readiness",
            "version": "1.0",
            "document": {"key": "ai-ml-readiness", "areas": []},
            "checksum": "c" * 64,
            "source": "file",
            "published_by": None,
            "published_at": AT,
        }
    ],
    "assessments": [
        {
            "id": f"a-{n}",
            "administration_id": "adm-1",
            "title": f"Readiness {n}",
            "language": "fr" if n else "en",
            "framework_key": "ai-ml-readiness",
            "framework_version": "1.0",
            "targets": {"strategy": 4},
            "status": "submitted" if n else "in_progress",
            "version": n,
            "previous_id": None,
            "created_by": "coord-1",
            "created_at": AT,
            "updated_at": AT,
            "submitted_at": AT if n else None,
            "submitted_by": "coord-1" if n else None,
        }
        for n in range(2)
    ],
    "participants": [
        {
            "id": n + 1,
            "assessment_id": "a-0",
            "user_id": f"off-{n}",
            "name": f"Officer {n}",
            "email": f"off{n}@douanes.example",
            "role": "respondent",
            "areas": ["strategy", "data"],
            "invited_by": "coord-1",
            "invited_at": AT,
        }
        for n in range(2)
    ],
    "answers": [
        {
            "id": n + 1,
            "assessment_id": "a-0" if n < 2 else "a-1",
            "indicator": f"strategy.{n}",
            "respondent_id": f"off-{n % 2}",
            "value": str(n + 1),
            "confidence": "high" if n else None,
            "comment": "Déclaration « complète »" if n else "",
            "evidence": "https://example.org/evidence" if n else "",
            "updated_at": AT,
        }
        for n in range(3)
    ],
    "agreed_answers": [
        {
            "id": 1,
            "assessment_id": "a-1",
            "indicator": "strategy.0",
            "value": "3",
            "confidence": "medium",
            "comment": "agreed",
            "recorded_by": "coord-1",
            "recorded_at": AT,
        }
    ],
    "score_snapshots": [
        {
            "id": 1,
            "assessment_id": "a-1",
            "version": 1,
            "results": {"overall": 2.5},
            "answers": {"strategy.0": "3"},
            "created_at": AT,
        }
    ],
    "history": [
        {
            "id": 1,
            "assessment_id": "a-1",
            "action": "submitted",
            "actor": "coord-1",
            "detail": {"version": 1},
            "at": AT,
        }
    ],
    "idempotency_records": [
        {
            "id": 1,
            "principal": "coord-1",
            "key": "k-1",
            "fingerprint": "f" * 64,
            "status": 201,
            "body": {"id": "a-0"},
            "created_at": AT,
        }
    ],
    "outbox": [
        {
            "id": 1,
            "event_id": "evt-1",
            "stream": "assessment.events",
            "event_type": "assessment.submitted",
            "payload": "{}",
            "created_at": AT,
            "published_at": None,
        }
    ],
}


def _old_table(name: str) -> Table:
    return OLD.Base.metadata.tables[name]


def _write_old_rows(engine):
    with engine.begin() as connection:
        for table in OLD.Base.metadata.sorted_tables:
            connection.execute(table.insert(), ROWS[table.name])
        if connection.dialect.name == "postgresql":
            _advance_sequences(connection)


def _advance_sequences(connection):
    """Move each serial id past the rows written with explicit ids, as the app's inserts do."""
    for table in OLD.Base.metadata.sorted_tables:
        for column in table.primary_key.columns:
            sequence = connection.scalar(
                text("SELECT pg_get_serial_sequence(:table, :column)"),
                {"table": table.name, "column": column.name},
            )
            if sequence:
                connection.execute(
                    text(
                        f'SELECT setval(:sequence, (SELECT max("{column.name}") FROM {table.name}))'
                    ),
                    {"sequence": sequence},
                )


def _read_old_rows(engine):
    """Every row of the 0001 tables, read through the old models' columns, in id order."""
    with engine.connect() as connection:
        return {
            table.name: [
                dict(row._mapping)
                for row in connection.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in OLD.Base.metadata.sorted_tables
        }


def _tables(engine):
    return set(inspect(engine).get_table_names())


def test_a_fresh_database_upgraded_to_head_matches_the_models(database_url):
    migrated = migrations.upgrade(SCHEMA, database_url)
    assert migrated.before == () and migrated.after == (HEAD,) == SCHEMA.heads()
    assert schema_state(SCHEMA, database_url) == ((HEAD,), [])


def test_the_check_sees_a_model_change_without_a_revision(database_url):
    migrations.upgrade(SCHEMA, database_url)
    changed = MetaData()
    for table in Base.metadata.sorted_tables:
        table.to_metadata(changed)
    changed.tables["answers"].append_column(Column("note", Text, nullable=True))
    _, diffs = schema_state(replace(SCHEMA, metadata=changed), database_url)
    assert [(d[0], d[2], d[3].name) for d in diffs] == [("add_column", "answers", "note")]


def test_revision_0001_is_the_schema_before_the_bulk_imports(database_url):
    migrations.upgrade(SCHEMA, database_url, "0001")
    before = replace(SCHEMA, metadata=OLD.Base.metadata)
    assert schema_state(before, database_url) == (("0001",), [])


def test_an_upgrade_from_0001_keeps_every_row_and_downgrades_keep_them(database_url, engine):
    migrations.upgrade(SCHEMA, database_url, "0001")
    _write_old_rows(engine)
    kept = _read_old_rows(engine)
    assert kept == ROWS  # what was written reads back the same (times stay aware UTC)

    migrated = migrations.upgrade(SCHEMA, database_url)
    assert (migrated.before, migrated.after) == (("0001",), (HEAD,))
    assert _read_old_rows(engine) == kept
    with engine.connect() as connection:
        assert connection.scalars(text("SELECT import_job_id FROM answers")).all() == [None] * 3
    assert _tables(engine) >= IMPORT_TABLES

    # Import data the downgrade drops; the answer it stored stays (without its job's id).
    with engine.begin() as connection:
        job = Base.metadata.tables["import_jobs"]
        connection.execute(
            job.insert(),
            {
                "id": "job-1",
                "administration_id": "adm-1",
                "mode": "accept_valid",
                "created_by": "coord-1",
                "created_at": AT,
                "cursor": {},
                "summary": {},
                **{n: 0 for n in ("rows_done", "errors_count", "answers_stored", "attempts")},
                "language": "en",
                "status": "succeeded",
            },
        )
        connection.execute(
            Base.metadata.tables["answers"].insert(),
            {**ROWS["answers"][0], "id": 4, "indicator": "data.1", "import_job_id": "job-1"},
        )

    migrated = migrations.downgrade(SCHEMA, database_url, "0001")
    assert (migrated.before, migrated.after) == ((HEAD,), ("0001",))
    after = _read_old_rows(engine)
    assert after == {
        **kept,
        "answers": [*kept["answers"], {**kept["answers"][0], "id": 4, "indicator": "data.1"}],
    }
    assert not IMPORT_TABLES & _tables(engine)
    assert "import_job_id" not in {c["name"] for c in inspect(engine).get_columns("answers")}
    assert schema_state(replace(SCHEMA, metadata=OLD.Base.metadata), database_url)[1] == []

    assert migrations.upgrade(SCHEMA, database_url).after == (HEAD,)
    assert schema_state(SCHEMA, database_url) == ((HEAD,), [])


def test_0003_marks_existing_import_jobs_as_asked_and_downgrades_keeping_them(database_url, engine):
    migrations.upgrade(SCHEMA, database_url, "0002")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO import_jobs (id, administration_id, mode, language, status, "
                "rows_done, errors_count, answers_stored, attempts, cursor, summary, "
                "created_by, created_at) VALUES ('job-1', 'adm-1', 'accept_valid', 'fr', "
                "'succeeded', 0, 0, 0, 0, '{}', '{}', 'coord-1', :at)"
            ),
            {"at": AT},
        )
    read = "SELECT id, language, language_source FROM import_jobs"
    assert migrations.upgrade(SCHEMA, database_url).after == (HEAD,)
    with engine.connect() as connection:
        assert connection.execute(text(read)).all() == [("job-1", "fr", "asked")]

    assert migrations.downgrade(SCHEMA, database_url, "0002").after == ("0002",)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT id, language FROM import_jobs")).all() == [
            ("job-1", "fr")
        ]
    columns = {c["name"] for c in inspect(engine).get_columns("import_jobs")}
    assert "language_source" not in columns


def test_0004_adds_the_peer_tables_empty_and_its_downgrade_drops_only_them(database_url, engine):
    migrations.upgrade(SCHEMA, database_url, "0001")
    _write_old_rows(engine)
    kept = _read_old_rows(engine)
    migrations.upgrade(SCHEMA, database_url, "0003")
    assert not {"peer_opt_ins", "peer_aggregates"} & _tables(engine)

    assert migrations.upgrade(SCHEMA, database_url, "0004").after == ("0004",)
    with engine.connect() as connection:
        for table in ("peer_opt_ins", "peer_aggregates"):
            assert connection.scalar(text(f"SELECT count(*) FROM {table}")) == 0
    aggregate = {c["name"] for c in inspect(engine).get_columns("peer_aggregates")}
    assert aggregate == {
        "id",
        "region",
        "framework_key",
        "framework_version",
        "area",
        "participants",
        "median",
        "first_quartile",
        "third_quartile",
        "computed_at",
    }  # counts and cut points: no column could hold an administration or its score
    with engine.begin() as connection:
        connection.execute(
            Base.metadata.tables["peer_opt_ins"].insert(),
            {
                "assessment_id": "a-1",
                "administration_id": "adm-1",
                "region": "wca",
                "framework_key": "ai-ml-readiness",
                "framework_version": "1.0",
                "opted_in_by": "coord-1",
                "opted_in_at": AT,
            },
        )

    assert migrations.downgrade(SCHEMA, database_url, "0003").after == ("0003",)
    assert not {"peer_opt_ins", "peer_aggregates"} & _tables(engine)
    assert _read_old_rows(engine) == kept


def test_the_first_revision_refuses_to_downgrade_and_changes_nothing(database_url, engine):
    migrations.upgrade(SCHEMA, database_url)
    with pytest.raises(NotImplementedError, match="would drop every table"):
        migrations.downgrade(SCHEMA, database_url, "base")
    assert schema_state(SCHEMA, database_url) == ((HEAD,), [])  # the downgrades rolled back


def test_init_db_adopts_a_database_create_all_made_before_migrations(
    database_url, engine, tmp_path
):
    OLD.Base.metadata.create_all(engine)
    _write_old_rows(engine)
    kept = _read_old_rows(engine)
    assert "alembic_version" not in _tables(engine)

    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "assessment", "init-db"],
        env={
            "PATH": "/usr/bin:/bin",
            "ASSESSMENT_DATABASE_URL": database_url,
            "ASSESSMENT_WORKBOOK_SECRET": "s",
            "DATA_DIR": str(tmp_path),
            "LOG_FORMAT": "text",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert f"assessment: database 0001 -> {HEAD} (head); adopted the existing tables at 0001" in (
        result.stdout
    )
    after = _read_old_rows(engine)
    known = len(kept["framework_versions"])
    assert {**after, "framework_versions": after["framework_versions"][:known]} == kept
    # init-db also publishes the framework versions shipped since: only those are added.
    added = {(row["key"], row["version"]) for row in after["framework_versions"][known:]}
    assert added <= _shipped_frameworks() - {
        (row["key"], row["version"]) for row in kept["framework_versions"]
    }
    assert schema_state(SCHEMA, database_url) == ((HEAD,), [])


def _shipped_frameworks():
    folder = Path(assessment.__file__).parent / "frameworks"
    return {(path.parent.name, path.name) for path in folder.glob("*/*") if path.is_dir()}


def test_a_database_create_all_made_with_the_bulk_imports_is_adopted_at_head(database_url):
    Base.metadata.create_all(create_engine(database_url, poolclass=NullPool))
    migrated = migrations.upgrade(SCHEMA, database_url)
    assert (migrated.adopted, migrated.before, migrated.after) == (HEAD, (HEAD,), (HEAD,))
    assert schema_state(SCHEMA, database_url) == ((HEAD,), [])


def _production_config(service_config):
    return {**service_config, "TESTING": False, "ASSESSMENT_WORKBOOK_SECRET": "s"}


def test_the_web_app_refuses_to_start_on_a_database_behind_its_code(service_config, database_url):
    migrations.upgrade(SCHEMA, database_url, "0001")
    with pytest.raises(SchemaBehind) as refused:
        create_app(_production_config(service_config))
    assert str(refused.value) == BEHIND

    migrations.upgrade(SCHEMA, database_url)
    app = create_app(_production_config(service_config))  # up to date: starts
    app.extensions["db"].dispose()


def test_an_empty_database_is_refused_naming_the_command(service_config):
    with pytest.raises(
        SchemaBehind,
        match=rf"at revision none, code needs {HEAD}: run `flask --app assessment db upgrade`",
    ):
        create_app(_production_config(service_config))


@pytest.mark.parametrize("command", [["events", "run"], ["imports", "run"]])
def test_the_event_process_and_the_importer_refuse_to_start_when_behind(
    service_config, database_url, command
):
    app = create_app(service_config)  # TESTING: upgraded to head
    migrations.downgrade(SCHEMA, database_url, "0001")
    result = app.test_cli_runner().invoke(args=command)
    assert result.exit_code == 1
    assert f"Error: {BEHIND}" in result.output
    app.extensions["db"].dispose()


def test_the_db_commands(service_config, database_url):
    app = create_app(service_config)
    runner = app.test_cli_runner()
    current = runner.invoke(args=["db", "current"]).output
    assert f"at {HEAD}, code head {HEAD} (up to date)" in current
    check = runner.invoke(args=["db", "check"])
    assert check.exit_code == 0 and "models and migrations match" in check.output
    down = runner.invoke(args=["db", "downgrade", "0001"])
    assert down.exit_code == 0 and f"database {HEAD} -> 0001" in down.output
    current = runner.invoke(args=["db", "current"])
    assert BEHIND in current.output
    assert runner.invoke(args=["db", "check"]).exit_code == 1
    refused = runner.invoke(args=["db", "downgrade", "base"])
    assert refused.exit_code == 1 and "would drop every table" in refused.output
    up = runner.invoke(args=["db", "upgrade"])
    assert up.exit_code == 0 and f"database 0001 -> {HEAD} (head)" in up.output
    app.extensions["db"].dispose()
