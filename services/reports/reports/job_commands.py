"""The operator's ``jobs`` commands (``flask --app reports jobs failed|stalled|retry``): report
builds that failed or stalled, and queuing them again through the path the API and the
submission consumer use."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from reports import jobs
from reports.celery_app import build_enqueuer
from reports.models import ReportJob
from shared.outbox_commands import Since
from shared.timestamps import to_rfc3339, utcnow
from shared.translations import counted

STALLED_MINUTES = 30


def _time(value: datetime | None) -> str:
    return to_rfc3339(value, timespec="seconds") if value is not None else ""


def _row(job: ReportJob) -> dict[str, Any]:
    return {
        "id": job.id,
        "status": job.status,
        "administration_id": job.administration_id,
        "assessment_id": job.assessment_id,
        "version": job.version,
        "revision": job.revision,
        "language": job.language,
        "attempts": job.attempts,
        "created_at": _time(job.created_at),
        "updated_at": _time(job.updated_at),
        "finished_at": _time(job.finished_at),
        "reason": job.reason,
    }


def _echo_jobs(rows: list[ReportJob], as_json: bool, moment: str) -> None:
    if as_json:
        click.echo(json.dumps([_row(job) for job in rows], indent=2, ensure_ascii=False))
        return
    for job in rows:
        when = job.finished_at if moment == "finished" else job.updated_at
        click.echo(
            f"{job.id}  {job.status}  {_time(when)}  {job.assessment_id} "
            f"v{job.version}.{job.revision} {job.language}  attempts={job.attempts}  "
            f"{job.reason or ''}".rstrip()
        )
    click.echo(f"reports: {counted(len(rows), 'job', 'jobs')}")


def _stalled_before(minutes: float) -> datetime:
    return utcnow() - timedelta(minutes=minutes)


def jobs_group() -> AppGroup:
    """Return the ``jobs`` command group."""
    group = AppGroup(
        "jobs", help="Report jobs: list failed or stalled builds, retry or rebuild them."
    )
    older_than = click.option(
        "--older-than",
        "minutes",
        type=click.FloatRange(min=0),
        default=STALLED_MINUTES,
        show_default=True,
        help="A queued or building job untouched this many minutes is stalled.",
    )

    @group.command("failed")
    @click.option("--since", type=Since(), default=None, help="Failed since: 24h, 7d or a time.")
    @click.option("--json", "as_json", is_flag=True, help="One JSON array instead of lines.")
    def failed(since: datetime | None, as_json: bool) -> None:
        """List failed jobs, latest first, with their last error and attempts."""
        with current_app.extensions["db"].session() as session:
            rows = jobs.list_failed(session=session, since=since)
        _echo_jobs(rows, as_json, "finished")

    @group.command("stalled")
    @older_than
    @click.option("--json", "as_json", is_flag=True, help="One JSON array instead of lines.")
    def stalled(minutes: float, as_json: bool) -> None:
        """List stalled jobs: queued or building, untouched for a while."""
        with current_app.extensions["db"].session() as session:
            rows = jobs.list_stalled(session=session, before=_stalled_before(minutes))
        _echo_jobs(rows, as_json, "updated")

    @group.command("retry")
    @click.argument("job_ids", nargs=-1)
    @click.option("--all-failed", is_flag=True, help="Every failed job (of --since only).")
    @click.option("--all-stalled", is_flag=True, help="Every stalled job (see --older-than).")
    @click.option("--since", type=Since(), default=None, help="With --all-failed: failed since.")
    @older_than
    def retry(
        job_ids: tuple[str, ...],
        all_failed: bool,
        all_stalled: bool,
        since: datetime | None,
        minutes: float,
    ) -> None:
        """Retry jobs: failed ones are queued again, stalled ones re-enqueued."""
        if sum((bool(job_ids), all_failed, all_stalled)) != 1:
            raise click.UsageError("give JOB_IDs, --all-failed or --all-stalled (one of them)")
        database = current_app.extensions["db"]
        before = _stalled_before(minutes)
        ids = list(job_ids)
        if not ids:
            with database.session() as session:
                found = (
                    jobs.list_failed(session=session, since=since)
                    if all_failed
                    else jobs.list_stalled(session=session, before=before)
                )
            ids = [job.id for job in found]
        enqueue = build_enqueuer(current_app)
        outcomes: dict[str, int] = {}
        for job_id in ids:
            with database.session(write=True) as session:
                outcome = jobs.retry_report(
                    session=session, job_id=job_id, enqueue=enqueue, stalled_before=before
                )
            outcomes[outcome.value] = outcomes.get(outcome.value, 0) + 1
            click.echo(f"{job_id}: {outcome.value}")
        summary = ", ".join(f"{count} {name}" for name, count in outcomes.items()) or "none"
        click.echo(f"reports: {counted(len(ids), 'job', 'jobs')}: {summary}")
        if outcomes.get(jobs.Retry.MISSING.value):
            raise click.exceptions.Exit(1)

    group.add_command(rebuild_command)
    return group


@click.command("rebuild")
@with_appcontext
@click.argument("job_ids", nargs=-1)
@click.option("--administration", default=None, help="Every ready report of this id.")
def rebuild_command(job_ids: tuple[str, ...], administration: str | None) -> None:
    """Build ready reports' files again (e.g. to show a name that arrived since)."""
    if bool(job_ids) == bool(administration):
        raise click.UsageError("give JOB_IDs or --administration (one of them)")
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    database = app.extensions["db"]
    ids = list(job_ids)
    if administration:
        with database.session() as session:
            ids = jobs.ready_reports_of(session=session, administration_id=administration)
    rebuilt = 0
    for job_id in ids:
        with database.session(write=True) as session:
            job = jobs.rebuild_files(
                session=session,
                store=app.extensions["reports.store"],
                job_id=job_id,
                public_url=app.config["AUTH_ISSUER"],
            )
        rebuilt += job is not None
        click.echo(f"{job_id}: {'rebuilt' if job is not None else 'not ready: left alone'}")
    click.echo(f"reports: rebuilt {rebuilt} of {len(ids)}")
    if rebuilt < len(ids) and job_ids:
        raise click.exceptions.Exit(1)
