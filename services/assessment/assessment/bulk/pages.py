"""Browser pages of bulk answers under ``/assessment``: questionnaires, uploads and import jobs.

The pages only read; uploading goes to the API (``bulk/api.py``) from ``static/imports.js``, as
the pages' own form parsing is limited to small bodies, and the job page polls the API.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, current_app, g, render_template
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import Session

from assessment import access
from assessment.bulk import jobs
from assessment.bulk.problems import MESSAGES, message
from assessment.bulk.texts import LABELS
from assessment.config import MIB
from assessment.models import Assessment, ImportJob
from shared.auth import Principal, optional_principal
from shared.errors import ApiError
from shared.pages import LoginRequired, page_texts

bp = Blueprint(
    "bulk_pages",
    __name__,
    url_prefix="/assessment",
    template_folder=str(Path(__file__).resolve().parent.parent / "templates"),
)
JOB_PAGE_SIZE = 50
FIRST_PROBLEMS = 20


def _principal() -> Principal:
    principal = optional_principal()
    if principal is None:
        raise LoginRequired()
    return principal


def _session() -> Any:
    return current_app.extensions["db"].session()


@bp.get("/<assessment_id>/imports")
def imports(assessment_id: str) -> ResponseReturnValue:
    """Questionnaires to download, the upload form and the assessment's imports (coordinators)."""
    principal = _principal()
    with _session() as session:
        seen = access.access(
            session=session,
            principal=principal,
            assessment_id=assessment_id,
            cache=current_app.extensions["frameworks"],
        )
        access.require_coordinator(seen)
        rows, total = jobs.list_jobs(
            session=session,
            principal=principal,
            page=1,
            page_size=JOB_PAGE_SIZE,
            assessment_id=assessment_id,
        )
        items = [jobs.describe(job, jobs.files_of(session, job.id)) for job in rows]
        return render_template(
            "assessment/imports.html",
            a=seen.assessment,
            framework=seen.framework,
            jobs=items,
            total=total,
            max_files=jobs.MAX_FILES,
            max_mib=int(current_app.config["ASSESSMENT_IMPORT_MAX_BYTES"]) // MIB,
            modes=jobs.MODES,
            bulk=LABELS,
        )


@bp.get("/imports/<job_id>")
def job(job_id: str) -> ResponseReturnValue:
    """One import's status and progress (followed live by script), then its summary and problems."""
    principal = _principal()
    if not access.is_manager(principal):
        raise ApiError(403, "forbidden")
    language, t = str(g.get("language", "en")), page_texts()
    with _session() as session:
        found = jobs.get_job(session=session, principal=principal, job_id=job_id)
        info = jobs.describe(found, jobs.files_of(session, found.id))
        problems: list[dict[str, Any]] = []
        problems_total = 0
        if found.status in jobs.FINISHED and found.errors_count:
            _, rows, problems_total = jobs.list_problems(
                session=session,
                principal=principal,
                job_id=job_id,
                page=1,
                page_size=FIRST_PROBLEMS,
            )
            problems = [
                {
                    "file": p.file,
                    "sheet": p.sheet,
                    "row": p.row,
                    "column": p.column,
                    "message": message(p.code, language, **(p.params or {})),
                }
                for p in rows
            ]
        return render_template(
            "assessment/import_job.html",
            job=info,
            finished=found.status in jobs.FINISHED,
            assessment=_assessment(session, found),
            others=_summarised(session, found),
            problems=problems,
            problems_total=problems_total,
            failure=_failure(found.problem, language),
            status_texts={s: t.gettext(LABELS["statuses"][s]) for s in jobs.STATUSES},
            explain_texts={s: t.gettext(LABELS["explains"][s]) for s in jobs.STATUSES},
            bulk=LABELS,
            page_size=FIRST_PROBLEMS,
        )


def _assessment(session: Session, job: ImportJob) -> Assessment | None:
    """Return the assessment the job was uploaded to, if one was named."""
    if job.assessment_id is None:
        return None
    found = session.get(Assessment, job.assessment_id)
    return found if found is not None and found.administration_id == job.administration_id else None


def _summarised(session: Session, job: ImportJob) -> list[Assessment]:
    """Return the assessments a job naming none stored answers into (from its summary)."""
    if job.assessment_id is not None:
        return []
    ids = sorted((job.summary or {}).get("assessments", {}))
    found = [session.get(Assessment, aid) for aid in ids]
    return [a for a in found if a is not None and a.administration_id == job.administration_id]


def _failure(problem: dict[str, Any] | None, language: str) -> str | None:
    """Return why a job failed as a whole, as a sentence in ``language``."""
    code = (problem or {}).get("code")
    if not code or code not in MESSAGES:
        return None
    params = {k: v for k, v in (problem or {}).items() if k != "code"}
    try:
        return message(code, language, **params)
    except (KeyError, IndexError):  # a message whose details were not recorded
        return None
