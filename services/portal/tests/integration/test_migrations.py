"""The portal service's schema migrations on the selected database (TEST_DB): they build the
models' schema exactly (the search index stays outside them), a database ``create_all`` made
before migrations is adopted with its rows, and the processes refuse an older schema."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, inspect, select
from sqlalchemy.pool import NullPool

from portal import catalogue, create_app
from portal.migrations import SCHEMA
from portal.models import Administration, Base
from shared import migrations
from shared.migrations import SchemaBehind
from shared.testing import schema_state

pytestmark = pytest.mark.integration

AT = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
HEAD = "0008"
ROW = {
    "id": "adm-1",
    "name": "Douanes",
    "country_code": "SN",
    "default_language": "fr",
    "created_at": AT,
}


def test_a_fresh_database_upgraded_to_head_matches_the_models(database_url):
    migrated = migrations.upgrade(SCHEMA, database_url)
    assert (migrated.before, migrated.after) == ((), (HEAD,)) and SCHEMA.heads() == (HEAD,)
    assert schema_state(SCHEMA, database_url) == ((HEAD,), [])


def test_the_search_index_tables_are_not_the_migrations_business(portal_config):
    app = create_app(portal_config)  # TESTING: upgraded, then the engine's search index made
    catalogue.ensure_schema(app)
    assert schema_state(SCHEMA, portal_config["DATABASE_URL"]) == ((HEAD,), [])
    app.extensions["db"].dispose()


def test_a_database_create_all_made_before_migrations_is_adopted_with_its_rows(database_url):
    engine = create_engine(database_url, poolclass=NullPool)
    Base.metadata.create_all(engine)
    table = Administration.__table__
    with engine.begin() as connection:
        connection.execute(table.insert(), ROW)
    migrated = migrations.upgrade(SCHEMA, database_url)
    assert (migrated.adopted, migrated.after) == (HEAD, (HEAD,))
    with engine.connect() as connection:
        assert [
            dict(r._mapping) for r in connection.execute(select(*(table.c[k] for k in ROW)))
        ] == [ROW]
    engine.dispose()
    assert schema_state(SCHEMA, database_url) == ((HEAD,), [])


def test_the_web_app_refuses_an_empty_database_and_starts_once_upgraded(portal_config):
    config = {**portal_config, "TESTING": False}
    with pytest.raises(SchemaBehind) as refused:
        create_app(config)
    assert str(refused.value) == (
        f"database of portal is at revision none, code needs {HEAD}: "
        "run `flask --app portal db upgrade`"
    )
    migrations.upgrade(SCHEMA, config["DATABASE_URL"])
    create_app(config).extensions["db"].dispose()


def test_the_event_process_refuses_to_start_when_behind(portal_config):
    app = create_app(portal_config)
    catalogue.ensure_schema(app)
    with app.extensions["db"].engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM alembic_version")  # as if never upgraded
    result = app.test_cli_runner().invoke(args=["events", "run"])
    assert result.exit_code == 1
    assert f"database of portal is at revision none, code needs {HEAD}" in result.output
    app.extensions["db"].dispose()


def test_the_contributions_revision_keeps_the_rows_of_0001_and_downgrades(database_url):
    migrations.upgrade(SCHEMA, database_url, "0001")
    engine = create_engine(database_url, poolclass=NullPool)
    table = Administration.__table__
    with engine.begin() as connection:
        connection.execute(table.insert(), ROW)
    assert migrations.upgrade(SCHEMA, database_url, "0002").after == ("0002",)
    tables = set(inspect(engine).get_table_names())
    assert {"contributions", "contribution_versions"} <= tables
    migrations.downgrade(SCHEMA, database_url, "0001")
    tables = set(inspect(engine).get_table_names())
    assert not {"contributions", "contribution_versions"} & tables
    with engine.connect() as connection:
        assert [
            dict(r._mapping) for r in connection.execute(select(*(table.c[k] for k in ROW)))
        ] == [ROW]
    engine.dispose()


def test_the_assistance_revision_keeps_the_rows_and_downgrades(database_url):
    migrations.upgrade(SCHEMA, database_url, "0002")
    engine = create_engine(database_url, poolclass=NullPool)
    table = Administration.__table__
    with engine.begin() as connection:
        connection.execute(table.insert(), ROW)
    assert migrations.upgrade(SCHEMA, database_url, "0003").after == ("0003",)
    assert {"assistance_cases", "expertise_offers"} <= set(inspect(engine).get_table_names())
    migrations.downgrade(SCHEMA, database_url, "0002")
    assert not {"assistance_cases", "expertise_offers"} & set(inspect(engine).get_table_names())
    with engine.connect() as connection:
        assert [
            dict(r._mapping) for r in connection.execute(select(*(table.c[k] for k in ROW)))
        ] == [ROW]
    engine.dispose()


def test_the_directory_revision_adds_a_region_to_kept_administrations_and_downgrades(
    database_url,
):
    migrations.upgrade(SCHEMA, database_url, "0003")
    engine = create_engine(database_url, poolclass=NullPool)
    with engine.begin() as connection:
        connection.execute(Administration.__table__.insert(), ROW)
    assert migrations.upgrade(SCHEMA, database_url, "0004").after == ("0004",)
    with engine.connect() as connection:
        (kept,) = connection.execute(select(Administration.__table__)).mappings()
    assert kept["region"] is None and kept["name"] == ROW["name"]
    assert "contact_points" in inspect(engine).get_table_names()
    migrations.downgrade(SCHEMA, database_url, "0003")
    assert "contact_points" not in inspect(engine).get_table_names()
    columns = {c["name"] for c in inspect(engine).get_columns("administrations")}
    assert "region" not in columns
    engine.dispose()


def test_the_forums_revision_seeds_the_categories_keeps_the_rows_and_downgrades(database_url):
    migrations.upgrade(SCHEMA, database_url, "0004")
    engine = create_engine(database_url, poolclass=NullPool)
    with engine.begin() as connection:
        connection.execute(Administration.__table__.insert(), ROW)
    assert migrations.upgrade(SCHEMA, database_url, "0005").after == ("0005",)
    forum_tables = {
        "forum_categories",
        "forum_threads",
        "forum_posts",
        "forum_reports",
        "forum_moderation_log",
    }
    assert forum_tables <= set(inspect(engine).get_table_names())
    with engine.connect() as connection:
        seeded = connection.exec_driver_sql(
            "SELECT key, kind FROM forum_categories ORDER BY position"
        ).all()
    assert [tuple(row) for row in seeded][:2] == [
        ("ai", "technology"),
        ("machine-learning", "technology"),
    ]
    assert len(seeded) == 8 and ("green-technology", "topic") in [tuple(r) for r in seeded]
    migrations.downgrade(SCHEMA, database_url, "0004")
    assert not forum_tables & set(inspect(engine).get_table_names())
    with engine.connect() as connection:
        (kept,) = connection.execute(select(Administration.__table__)).mappings()
    assert kept["name"] == ROW["name"]
    engine.dispose()


def _indexes(engine, table):
    return {i["name"]: i["column_names"] for i in inspect(engine).get_indexes(table)}


def test_the_forum_indexes_revision_orders_posts_and_threads_keeps_the_rows_and_downgrades(
    database_url,
):
    migrations.upgrade(SCHEMA, database_url, "0005")
    engine = create_engine(database_url, poolclass=NullPool)
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO forum_threads (id, category_key, title, language, author_id, "
            "author_name, locked, hidden, created_at, last_post_at) VALUES ('t-1', 'ai', "
            "'Risk', 'en', 'u-1', 'Ana', false, false, '2026-03-01 09:30:00+00:00', "
            "'2026-03-01 09:30:00+00:00')"
        )
    assert migrations.upgrade(SCHEMA, database_url, "0006").after == ("0006",)
    threads, posts = _indexes(engine, "forum_threads"), _indexes(engine, "forum_posts")
    assert threads["ix_forum_threads_category_recent"] == ["category_key", "last_post_at", "id"]
    assert threads["ix_forum_threads_recent"] == ["last_post_at", "id"]
    assert posts["ix_forum_posts_thread_order"] == ["thread_id", "created_at", "id"]
    assert posts["ix_forum_posts_quoted_post_id"] == ["quoted_post_id"]
    assert "ix_forum_threads_category_last" not in threads
    assert "ix_forum_posts_thread_created" not in posts
    migrations.downgrade(SCHEMA, database_url, "0005")
    threads, posts = _indexes(engine, "forum_threads"), _indexes(engine, "forum_posts")
    assert threads["ix_forum_threads_category_last"] == ["category_key", "last_post_at"]
    assert posts["ix_forum_posts_thread_created"] == ["thread_id", "created_at"]
    assert not {"ix_forum_threads_category_recent", "ix_forum_threads_recent"} & set(threads)
    assert not {"ix_forum_posts_thread_order", "ix_forum_posts_quoted_post_id"} & set(posts)
    with engine.connect() as connection:
        kept = connection.exec_driver_sql("SELECT id, title FROM forum_threads").all()
    assert [tuple(row) for row in kept] == [("t-1", "Risk")]
    engine.dispose()


def test_the_name_keys_revision_folds_the_names_already_there_and_downgrades(database_url):
    migrations.upgrade(SCHEMA, database_url, "0007")
    engine = create_engine(database_url, poolclass=NullPool)
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO users (id, email, display_name, password_hash, roles, language, "
            "active, created_at) VALUES ('u-1', 'h@example.org', 'Hélène Lefèvre-DUPRÉ', 'x', "
            "'respondent', 'fr', true, '2026-03-01 09:30:00+00:00')"
        )
    assert migrations.upgrade(SCHEMA, database_url, "0008").after == ("0008",)
    with engine.connect() as connection:
        kept = connection.exec_driver_sql("SELECT display_name, name_key FROM users").all()
    assert [tuple(row) for row in kept] == [("Hélène Lefèvre-DUPRÉ", "helene lefevre dupre")]
    migrations.downgrade(SCHEMA, database_url, "0007")
    assert "name_key" not in {c["name"] for c in inspect(engine).get_columns("users")}
    with engine.connect() as connection:
        names = connection.exec_driver_sql("SELECT display_name FROM users").all()
    assert [tuple(row) for row in names] == [("Hélène Lefèvre-DUPRÉ",)]
    engine.dispose()
