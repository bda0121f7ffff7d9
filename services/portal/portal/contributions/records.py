"""Use cases of members' contributions: submit with a file, answer a change request with a new
version, the editors' review, and who may read which file.

A contribution is a catalogue item proposed by a member (in review from the start) plus its
file versions: the editorial workflow, its roles and its second-editor rule are the catalogue's
(``catalogue.workflow``). A change request takes the item back to draft with the editor's
remark; the contributor's new version sends it back to review. The item's history holds every
step and remark, which the contributor reads here.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.catalogue import items, workflow
from portal.catalogue.audience import audience_for
from portal.catalogue.cache import ContentCache
from portal.catalogue.search import SearchIndex
from portal.contributions.models import Contribution, ContributionVersion
from portal.contributions.uploads import StoredFile
from portal.models import ContentItem, ContentRevision
from shared.auth import Principal, Role
from shared.db import Database
from shared.errors import ApiError, NotFound
from shared.paging import fetch_page
from shared.timestamps import utcnow

API = "/api/v1/portal/contributions"
# The item's state -> the contribution's, as its contributor reads it.
STATUS_OF_ITEM = {
    workflow.IN_REVIEW: "in_review",
    workflow.DRAFT: "changes_requested",
    workflow.PUBLISHED: "published",
    workflow.ARCHIVED: "archived",
}
ITEM_STATUS = {status: item for item, status in STATUS_OF_ITEM.items()}
# The item's history entries the contributor sees, under the contribution's names.
REVIEW_STEPS = {
    "proposed": "submitted",
    "reopened": "changes_requested",
    "resubmitted": "new_version",
    "published": "published",
    "archived": "archived",
}


def file_url(contribution_id: str, number: int | None = None) -> str:
    """Return the download URL of the current file, or of version ``number``."""
    if number is None:
        return f"{API}/{contribution_id}/file"
    return f"{API}/{contribution_id}/versions/{number}/file"


def _catalogue_data(contribution_id: str, fields: dict[str, Any], file_name: str) -> dict[str, Any]:
    translations = {
        language: {
            "title": fields[f"title_{language}"],
            "summary": fields.get(f"summary_{language}", ""),
        }
        for language in ("en", "fr")
        if fields.get(f"title_{language}")
    }
    link = {"kind": "attachment", "url": file_url(contribution_id), "label": file_name}
    data = {
        "kind": fields["kind"],
        "translations": translations,
        "technologies": fields.get("technologies", []),
        "domains": fields.get("domains", []),
        "visibility": fields["visibility"],
        "links": [{**link, "language": None}],
    }
    for optional in ("subtype", "region"):
        if fields.get(optional):
            data[optional] = fields[optional]
    return data


def submit(
    *,
    session: Session,
    principal: Principal,
    index: SearchIndex,
    contribution_id: str,
    fields: dict[str, Any],
    file: StoredFile,
) -> Contribution:
    """Record a member's contribution with its first file: its item enters the editors' review."""
    with session.begin():
        data = _catalogue_data(contribution_id, fields, file.file_name)
        item = items.add_proposal(session=session, principal=principal, index=index, data=data)
        now = utcnow()
        contribution = Contribution(
            id=contribution_id,
            item_id=item.id,
            administration_id=principal.administration_id,
            contributor=principal.subject,
            contributor_name=principal.name,
            requested_visibility=fields["visibility"],
            created_at=now,
            updated_at=now,
            versions=[_version(1, principal, file, "")],
        )
        session.add(contribution)
        session.flush()
    return contribution


def _version(number: int, principal: Principal, file: StoredFile, note: str) -> ContributionVersion:
    return ContributionVersion(
        number=number, uploaded_by=principal.subject, uploaded_at=utcnow(), note=note, **file.fields
    )


def _visible(session: Session, principal: Principal, contribution_id: str) -> Contribution:
    """Return the contribution for its contributor or an editor; 404 for anyone else."""
    contribution = session.get(Contribution, contribution_id)
    if contribution is None or not (
        principal.has_any(Role.EDITOR) or contribution.contributor == principal.subject
    ):
        raise NotFound()
    return contribution


def add_version(
    *, session: Session, principal: Principal, contribution_id: str, note: str, file: StoredFile
) -> Contribution:
    """Answer a change request with a new file: the item goes back to review (contributor only)."""
    with session.begin():
        contribution = _visible(session, principal, contribution_id)
        if contribution.contributor != principal.subject:
            raise ApiError(403, "forbidden", "only the contributor sends new versions")
        item = items.load_item(session, contribution.item_id, for_update=True)
        if item.status != workflow.DRAFT:
            raise ApiError(
                409,
                "no_change_requested",
                f"a new version answers a change request; this contribution is "
                f"{STATUS_OF_ITEM[item.status]}",
            )
        previous = contribution.current
        contribution.versions.append(_version(previous.number + 1, principal, file, note))
        for link in item.links:
            if link.url == file_url(contribution.id):
                link.label = file.file_name
        changes = {"file": {"from": previous.file_name, "to": file.file_name}}
        items.resubmit_proposal(principal=principal, item=item, note=note, changes=changes)
        contribution.updated_at = item.updated_at
    return contribution


def review(
    *,
    db: Database,
    principal: Principal,
    contribution_id: str,
    action: str,
    note: str,
    cache: ContentCache | None,
) -> str:
    """Apply an editor's decision: ``request_changes`` (in review only), ``publish`` (a second
    editor, as for every item) or ``archive``; return the contribution's id."""
    items.require_editor(principal)
    with db.session() as session:
        contribution = _visible(session, principal, contribution_id)
        item_id, status = contribution.item_id, contribution.item.status
    if action == "request_changes" and status != workflow.IN_REVIEW:
        raise ApiError(409, "invalid_transition", "changes are requested of an item in review")
    use_case = {
        "request_changes": items.reopen_item,
        "publish": items.publish_item,
        "archive": items.archive_item,
    }[action]
    with db.session(write=True) as session:
        use_case(session=session, principal=principal, item_id=item_id, note=note, cache=cache)
        with session.begin():
            touched = session.get(Contribution, contribution_id)
            if touched is not None:
                touched.updated_at = utcnow()
    return contribution_id


def load(*, session: Session, principal: Principal, contribution_id: str) -> Contribution:
    """Return a contribution for its contributor or an editor (404 otherwise)."""
    return _visible(session, principal, contribution_id)


def list_contributions(
    *, session: Session, principal: Principal, status: str | None, page: int, page_size: int
) -> tuple[list[Contribution], int]:
    """Return a page of the caller's contributions (editors: everyone's), newest first."""
    query = select(Contribution).join(ContentItem, ContentItem.id == Contribution.item_id)
    if not principal.has_any(Role.EDITOR):
        query = query.where(Contribution.contributor == principal.subject)
    if status:
        query = query.where(ContentItem.status == ITEM_STATUS[status])
    query = query.order_by(Contribution.created_at.desc(), Contribution.id)
    found, total, _ = fetch_page(session, query, page=page, page_size=page_size)
    return found, total


def readable_version(
    *,
    session: Session,
    principal: Principal | None,
    contribution_id: str,
    number: int | None = None,
) -> tuple[ContributionVersion, bool]:
    """Return the version a caller may download and whether it is public (cacheable).

    The current file is readable exactly as its item is (anonymous readers: published public
    items only), and by its contributor; earlier versions only by the contributor and editors.
    Anyone else gets 404, as for a missing file.
    """
    contribution = session.get(Contribution, contribution_id)
    if contribution is None:
        raise NotFound()
    item = contribution.item
    insider = principal is not None and (
        principal.has_any(Role.EDITOR) or principal.subject == contribution.contributor
    )
    if number is None:
        if not insider and not audience_for(principal).admits(item.status, item.visibility):
            raise NotFound()
        version = contribution.current
    else:
        found = [v for v in contribution.versions if v.number == number]
        if not insider or not found:
            raise NotFound()
        version = found[0]
    public = item.status == workflow.PUBLISHED and item.visibility == "public" and number is None
    return version, public


def describe(session: Session, contribution: Contribution) -> dict[str, Any]:
    """Return the contribution as ``ContributionSchema`` dumps it."""
    item = contribution.item
    history = session.scalars(
        select(ContentRevision)
        .where(ContentRevision.item_id == item.id)
        .order_by(ContentRevision.version)
    )
    remarks = [
        {
            "action": REVIEW_STEPS[entry.action],
            "by": entry.actor_name or entry.actor,
            "at": entry.at,
            "note": (entry.changes or {}).get("note", ""),
        }
        for entry in history
        if entry.action in REVIEW_STEPS
    ]
    versions = [_version_view(contribution.id, v) for v in contribution.versions]
    return {
        "id": contribution.id,
        "status": STATUS_OF_ITEM[item.status],
        "kind": item.kind,
        "titles": {t.language: t.title for t in item.translations},
        "summaries": {t.language: t.summary for t in item.translations},
        "technologies": item.values("technology"),
        "domains": item.values("domain"),
        "region": item.region,
        "requested_visibility": contribution.requested_visibility,
        "administration_id": contribution.administration_id,
        "contributor_name": contribution.contributor_name,
        "created_at": contribution.created_at,
        "updated_at": contribution.updated_at,
        "item": {
            "id": item.id,
            "slug": item.slug,
            "status": item.status,
            "visibility": item.visibility,
            "page_url": f"{items.PAGE_PREFIX}{item.slug}",
        },
        "current": versions[-1],
        "versions": versions,
        "remarks": remarks,
    }


def _version_view(contribution_id: str, version: ContributionVersion) -> dict[str, Any]:
    return {
        "number": version.number,
        "file_name": version.file_name,
        "media_type": version.media_type,
        "size": version.size,
        "sha256": version.sha256,
        "note": version.note,
        "uploaded_at": version.uploaded_at,
        "download_url": file_url(contribution_id, version.number),
    }
