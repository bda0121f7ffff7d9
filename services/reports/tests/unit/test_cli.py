from sqlalchemy import inspect, text

from reports.models import ReportJob


def test_init_db_creates_the_tables_and_can_run_twice(app):
    engine = app.extensions["db"].engine
    ReportJob.metadata.drop_all(engine)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE alembic_version"))
    runner = app.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(args=["init-db"])
        assert result.exit_code == 0, result.output
        assert "reports: tables ready" in result.output
        assert "reports: database" in result.output
    tables = set(inspect(engine).get_table_names())
    assert {"report_jobs", "report_files", "notifications", "outbox"} <= tables


def test_the_event_process_command_is_registered(app):
    result = app.test_cli_runner().invoke(args=["events", "--help"])
    assert result.exit_code == 0
    assert "run" in result.output
