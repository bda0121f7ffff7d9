"""Browser pages of the portal's accounts: the sign-in form and signing out (the catalogue's
pages are in ``portal.catalogue.pages``).

Signing in stores the access token in the shared session cookie (``sc_session``, HttpOnly) that
every service's pages accept, plus the double-submit CSRF cookie their forms echo back.
"""

from __future__ import annotations

import hmac
import secrets

from flask import (
    Blueprint,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
)
from werkzeug.wrappers import Response

from portal import issuing
from portal.attempts import client_address
from portal.issuing import IssuerSettings
from shared.auth import CSRF_COOKIE, SESSION_COOKIE
from shared.errors import ApiError
from shared.pages import error_title

blp = Blueprint("pages", __name__)


def safe_next(target: str | None) -> str:
    """Return ``target`` when it is a path on this site, else ``/`` (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    return target


def _secure() -> bool:
    return request.is_secure or str(current_app.config["AUTH_ISSUER"]).startswith("https://")


def _set_csrf(response: Response, value: str) -> None:
    # Readable by scripts on purpose: pages send it back as X-CSRF-Token.
    response.set_cookie(CSRF_COOKIE, value, samesite="Lax", secure=_secure(), path="/")


def _login_page(
    *, email: str, next_url: str, error: str | None = None, status: int = 200
) -> Response:
    csrf = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
    page = render_template(
        "portal/login.html",
        email=email,
        next_url=next_url,
        error=error_title(error),
        csrf_token=csrf,
    )
    response = make_response(page, status)
    if request.cookies.get(CSRF_COOKIE) != csrf:
        _set_csrf(response, csrf)
    return response


@blp.get("/login")
def login_form() -> Response:
    """Show the sign-in form."""
    return _login_page(email="", next_url=safe_next(request.args.get("next")))


@blp.post("/login")
def login_submit() -> Response:
    """Sign in from the form: set the session cookie and go back to the page asked for."""
    email = request.form.get("email", "")[:320]
    next_url = safe_next(request.form.get("next"))
    expected = request.cookies.get(CSRF_COOKIE, "")
    if not expected or not hmac.compare_digest(expected, request.form.get("csrf_token", "")):
        return _login_page(email=email, next_url=next_url, error="csrf_failed", status=400)
    try:
        with current_app.extensions["db"].session(write=True) as session:
            token = issuing.login(
                session=session,
                passwords=current_app.extensions["portal.passwords"],
                settings=IssuerSettings.from_config(current_app.config),
                attempts=current_app.extensions["portal.attempts"],
                address=client_address(request.environ),
                email=email,
                password=request.form.get("password", "")[:1024],
            )
    except ApiError as exc:
        return _login_page(email=email, next_url=next_url, error=exc.code, status=exc.status)
    response = redirect(next_url, 303)
    response.set_cookie(
        SESSION_COOKIE,
        token.access_token,
        max_age=token.expires_in,
        httponly=True,
        samesite="Lax",
        secure=_secure(),
        path="/",
    )
    _set_csrf(response, secrets.token_urlsafe(32))  # a fresh one per session
    return response


@blp.post("/logout")
def logout() -> Response:
    """Sign out: forget the session cookie."""
    # No CSRF check: a forged sign-out only signs the victim out, and a lost CSRF cookie must
    # never trap anyone in a session.
    response = redirect("/", 303)
    response.delete_cookie(SESSION_COOKIE, path="/", samesite="Lax", secure=_secure())
    return response
