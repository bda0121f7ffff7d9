"""The editors' screens under ``/editor``: the desk by workflow state, the item form, workflow
actions and history. Thin views over the same use cases as the API, with its rules: an editor
cannot publish an item they changed, a stale form (``version``) is refused.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from portal.catalogue import items, listing, reading, vocabulary, workflow
from portal.catalogue import schemas as s
from portal.catalogue.audience import EDITORS, Audience
from portal.catalogue.forms import (
    flat_errors,
    form_errors,
    item_data,
    item_form,
)
from shared.auth import Principal, Role
from shared.errors import ApiError
from shared.pages import error_title, signed_in

bp = Blueprint("editor_pages", __name__, url_prefix="/editor")

TABS = ("in_review", "draft", "published", "archived")
LANGS = ("en", "fr")
ACTIONS = {
    "submit": items.submit_item,
    "publish": items.publish_item,
    "archive": items.archive_item,
    "reopen": items.reopen_item,
}


def _editor() -> Principal:
    principal = signed_in()
    if not principal.has_any(Role.EDITOR):
        raise ApiError(403, "forbidden")
    return principal


def _adapters() -> dict[str, Any]:
    return {
        "index": current_app.extensions["portal.search"],
        "cache": current_app.extensions["portal.cache"],
    }


@bp.get("/")
def desk() -> ResponseReturnValue:
    """The editorial desk: items by workflow state, those waiting for the caller's review first."""
    principal = _editor()
    status = request.args.get("status", TABS[0])
    status = status if status in TABS else TABS[0]
    q = request.args.get("q", "")[:500]
    result = listing.search_items(
        db=current_app.extensions["db"],
        audience=Audience(EDITORS, principal.subject),
        index=current_app.extensions["portal.search"],
        params=listing.SearchParams(q=q, status=(status,), sort="newest", page_size=100),
        language=g.language,
        snapshots=current_app.extensions["portal.snapshots"],
    ).data()
    return render_template(
        "portal/editor/desk.html",
        result=result,
        status=status,
        tabs=TABS,
        q=q,
        schemes=vocabulary.SCHEMES,
        added=request.args.get("added"),
        error=error_title(request.args.get("error")),
    )


@bp.post("/terms")
def add_term() -> ResponseReturnValue:
    """Add a term to a vocabulary (a technology, domain, topic or region), in both languages."""
    principal = _editor()
    scheme = request.form.get("scheme", "")
    try:
        data = s.TermCreateSchema().load(
            {
                "code": request.form.get("code", "").strip(),
                "labels": {lang: request.form.get(f"label_{lang}", "").strip() for lang in LANGS},
            }
        )
        with current_app.extensions["db"].session(write=True) as session:
            vocabulary.add_term(session=session, principal=principal, scheme=scheme, **data)
    except ValidationError:
        return redirect(url_for(".desk", error="validation_failed"), 303)
    except ApiError as exc:
        return redirect(url_for(".desk", error=exc.code), 303)
    current_app.extensions["portal.cache"].invalidate()
    return redirect(url_for(".desk", added=data["code"]), 303)


def _form_page(
    *,
    form: MultiDict[str, str],
    view: dict[str, Any] | None = None,
    errors: dict[str, Any] | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    principal = _editor()
    history: list[dict[str, Any]] = []
    with current_app.extensions["db"].session() as session:
        vocabularies = vocabulary.list_vocabularies(session=session, language=g.language)
        if view is not None:
            history = [
                reading.history_view(revision)
                for revision in items.item_history(
                    session=session, principal=principal, item_id=view["id"]
                )
            ]
    can_publish = view is not None and principal.subject not in view.get("contributors", [])
    page = render_template(
        "portal/editor/item.html",
        form=form,
        view=view,
        errors=flat_errors(errors or {}),
        vocabularies=vocabularies,
        history=history,
        actions=_actions(view),
        can_publish=can_publish,
        done=request.args.get("done") if request.args.get("done") in ACTIONS else None,
        saved=bool(request.args.get("saved")),
        error=error_title(request.args.get("error")),
    )
    return page, status


def _actions(view: dict[str, Any] | None) -> list[str]:
    """Return the workflow actions possible in the item's state."""
    if view is None:
        return []
    return [action for action in ACTIONS if workflow.allows(action, view["status"])]


def _editor_view(item_id: str, principal: Principal) -> dict[str, Any]:
    view: dict[str, Any] = reading.get_item(
        db=current_app.extensions["db"],
        audience=Audience(EDITORS, principal.subject),
        ref=item_id,
        language=g.language,
    ).data()
    return view


@bp.get("/new")
def new_item() -> ResponseReturnValue:
    """The form of a new item."""
    _editor()
    kind = request.args.get("kind", "resource")
    return _form_page(form=MultiDict({"kind": kind, "visibility": "public"}))


@bp.post("/new")
def create_item() -> ResponseReturnValue:
    """Create a draft from the form, then show it."""
    principal = _editor()
    try:
        data = s.ItemCreateSchema().load(item_data(request.form))
        with current_app.extensions["db"].session(write=True) as session:
            item = items.create_item(
                session=session,
                principal=principal,
                index=current_app.extensions["portal.search"],
                data=data,
            )
            item_id = item.id
    except (ValidationError, ApiError) as exc:
        status = exc.status if isinstance(exc, ApiError) else 422
        return _form_page(
            form=request.form, errors=form_errors(exc, g.language) or _form(exc), status=status
        )
    return redirect(url_for(".edit_item", item_id=item_id, saved=1), 303)


def _form(error: ValidationError | ApiError) -> dict[str, Any]:
    """Return an error that concerns no field as the form's own message."""
    text = error_title(error.code) if isinstance(error, ApiError) else None
    return {"_form": [text or str(error)]}


@bp.get("/items/<item_id>")
def edit_item(item_id: str) -> ResponseReturnValue:
    """The form of an existing item, its workflow actions and its history."""
    principal = _editor()
    view = _editor_view(item_id, principal)
    return _form_page(form=item_form(view), view=view)


@bp.post("/items/<item_id>")
def save_item(item_id: str) -> ResponseReturnValue:
    """Save the item's form (refused when someone changed the item since it was loaded)."""
    principal = _editor()
    view = _editor_view(item_id, principal)
    try:
        body = item_data(request.form, existing=set(view.get("translations", {})))
        data = s.ItemUpdateSchema().load(body)
        with current_app.extensions["db"].session(write=True) as session:
            items.update_item(
                session=session, principal=principal, item_id=view["id"], data=data, **_adapters()
            )
    except (ValidationError, ApiError) as exc:
        status = exc.status if isinstance(exc, ApiError) else 422
        errors = form_errors(exc, g.language) or _form(exc)
        return _form_page(form=request.form, view=view, errors=errors, status=status)
    return redirect(url_for(".edit_item", item_id=view["id"], saved=1), 303)


@bp.post("/items/<item_id>/<action>")
def act(item_id: str, action: str) -> ResponseReturnValue:
    """Move the item along the workflow (submit, publish, archive, reopen)."""
    principal = _editor()
    use_case = ACTIONS.get(action)
    if use_case is None:
        raise ApiError(404, "not_found")
    extra = {} if action == "submit" else {"cache": current_app.extensions["portal.cache"]}
    try:
        with current_app.extensions["db"].session(write=True) as session:
            use_case(
                session=session,
                principal=principal,
                item_id=item_id,
                note=request.form.get("note", "")[:2000],
                **extra,
            )
    except ApiError as exc:
        if exc.status == 404:
            raise
        return redirect(url_for(".edit_item", item_id=item_id, error=exc.code), 303)
    return redirect(url_for(".edit_item", item_id=item_id, done=action), 303)
