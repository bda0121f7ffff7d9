"""Server-rendered pages: the shared layout, its stylesheet, texts in the reader's language.

Each service serves its own pages under its prefix (``/`` for the portal, ``/assessment`` and
``/reports``) and the shared stylesheet at ``<prefix>/static/site.css``, so no page depends on
another service being up. Templates translate with the Jinja i18n extension (``gettext``,
``ngettext``, ``pgettext``, ``{% trans %}``) from the service's catalog, then the shared one.
A page that needs a signed-in reader raises ``LoginRequired``: the reader is sent to sign in and
comes back to the page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Flask, current_app, g, redirect, request, send_from_directory
from flask.typing import ResponseReturnValue
from jinja2 import ChoiceLoader, FileSystemLoader

from shared.auth import CSRF_COOKIE, Principal, Role, optional_principal
from shared.errors import problem_body
from shared.i18n import SUPPORTED, pick
from shared.translations import Texts, texts_for

_HERE = Path(__file__).parent
# The portal's members' forums, behind the gateway (every service's pages link there).
FORUMS_PATH = "/forums"


class LoginRequired(Exception):
    """The page needs a signed-in user."""


def init_pages(app: Flask, *, prefix: str, domain: str | None = None) -> None:
    """Enable the shared layout and texts for ``app``'s pages served under ``prefix``.

    ``domain`` is the package whose catalogs translate the service's pages (before ``shared``).
    """
    domains = (domain, "shared") if domain else ("shared",)
    app.extensions["text_domains"] = domains
    _install_gettext(app)
    app.register_error_handler(LoginRequired, _to_login)
    loaders = [loader for loader in (app.jinja_loader,) if loader is not None]
    app.jinja_loader = ChoiceLoader([*loaders, FileSystemLoader(str(_HERE / "templates"))])
    static_base = f"{prefix.rstrip('/')}/static"

    @app.context_processor
    def _page_context() -> dict[str, Any]:
        language = g.get("language", "en")
        args = {k: v for k, v in request.args.items() if k != "lang"}
        switches = [
            LanguageSwitch(
                other,
                texts_for(other).display_name,
                f"{request.path}?{urlencode({**args, 'lang': other})}",
            )
            for other in SUPPORTED
            if other != language
        ]
        principal = optional_principal()
        return {
            "lang": language,
            "language_switches": switches,
            "principal": principal,
            "forums_entry": forums_entry(principal, request.path),
            "csrf_token": request.cookies.get(CSRF_COOKIE, ""),
            "static_base": static_base,
            "tr": lambda texts: pick(texts, language) if texts else "",
        }

    blueprint = Blueprint("shared_static", __name__)

    def shared_static(filename: str) -> ResponseReturnValue:
        return send_from_directory(_HERE / "static", filename, max_age=3600)

    blueprint.add_url_rule(f"{static_base}/<path:filename>", "shared_static", shared_static)
    app.register_blueprint(blueprint)


def _to_login(_: LoginRequired) -> ResponseReturnValue:
    return redirect(f"/login?next={request.full_path.rstrip('?')}")


def signed_in() -> Principal:
    """Return the page's caller; a visitor not signed in is sent to the login page."""
    principal = optional_principal()
    if principal is None:
        raise LoginRequired()
    return principal


def error_title(code: str | None) -> str | None:
    """Return the title of problem ``code`` in the page's language (a refused form's message)."""
    if not code:
        return None
    return str(problem_body(400, code, language=g.get("language", "en"))["title"])


def reads_forums(roles: Iterable[str], administration_id: str | None) -> bool:
    """Return whether a caller with ``roles`` may read the members' forums: editors, operators
    and members of an administration (never its machine clients)."""
    held = set(roles)
    if held & {Role.EDITOR, Role.OPERATOR}:
        return True
    return administration_id is not None and Role.CLIENT not in held


def forums_entry(principal: Principal | None, path: str) -> ForumsEntry | None:
    """Return the top menu's forums entry for the caller (none for those the forums refuse: the
    public would meet a sign-in page), current on the forums' own pages."""
    if principal is None or not reads_forums(principal.roles, principal.administration_id):
        return None
    return ForumsEntry(FORUMS_PATH, path == FORUMS_PATH or path.startswith(f"{FORUMS_PATH}/"))


@dataclass(frozen=True)
class ForumsEntry:
    """The top menu's link to the forums, and whether the page shown is one of theirs."""

    path: str
    current: bool


@dataclass(frozen=True)
class LanguageSwitch:
    """A link of the language switch: the page in another language, named in that language."""

    code: str
    name: str
    url: str


def _install_gettext(app: Flask) -> None:
    """Give the templates gettext functions in the current request's language."""
    app.jinja_env.add_extension("jinja2.ext.i18n")

    def gettext(message: str) -> str:
        return page_texts().translations.gettext(message)

    def ngettext(singular: str, plural: str, count: int) -> str:
        return page_texts().translations.ngettext(singular, plural, count)

    def pgettext(context: str, message: str) -> str:
        return str(page_texts().translations.pgettext(context, message))

    def npgettext(context: str, singular: str, plural: str, count: int) -> str:
        return str(page_texts().translations.npgettext(context, singular, plural, count))

    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext, ngettext, newstyle=True, pgettext=pgettext, npgettext=npgettext
    )


def page_texts() -> Texts:
    """Return the catalogs and formats of the current request's language."""
    domains = current_app.extensions.get("text_domains", ("shared",))
    return texts_for(g.get("language", "en"), *domains)
