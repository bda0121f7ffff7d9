"""Access checks generated from a service's OpenAPI document (for the test suites).

Like those of ``shared.conformance``, each check covers every operation the document has, present
and future, and returns its findings (empty: none): bad tokens are refused with a 401 problem,
the roles outside an operation's ``x-roles`` with a 403 problem and no role ever meets a server
error, and a caller of another administration is told exactly what it is told for ids that name
nothing (a 404 problem on reads), so it cannot learn that a resource exists, and finds none of
them in the lists it reads.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from shared.auth import ROLES_EXTENSION
from shared.conformance import Conformance, Operation, sample_path

PROBLEM = "application/problem+json"
_JSON = (PROBLEM, "application/json")
_PARAMETER = re.compile(r"\{([^/]+?)\}")
Headers = Mapping[str, str]
# What to send an operation besides its ids: ``client.open`` arguments, or a function making them.
Sent = Mapping[str, Any] | Callable[[], Mapping[str, Any]]


def takes_bearer(conformance: Conformance, operation: Operation) -> bool:
    """Return whether ``operation`` accepts a bearer token, required or optional."""
    requirements = operation.spec.get("security", conformance.document.get("security", []))
    schemes = conformance.document.get("components", {}).get("securitySchemes", {})
    return any(
        str(schemes.get(name, {}).get("scheme", "")).lower() == "bearer"
        for requirement in requirements
        for name in requirement
    )


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@dataclass(frozen=True)
class Answer:
    """What a check needs of a response, read before the response is closed."""

    status: int
    mimetype: str
    code: str | None
    challenge: str
    text: str

    def is_problem(self, status: int) -> bool:
        """Return whether this is a problem document of ``status``."""
        return self.status == status and self.mimetype == PROBLEM


def _ask(client: FlaskClient, path: str, method: str, headers: Headers, **sent: Any) -> Answer:
    """Send one request; return its answer, the response closed (a stream left open would keep
    its request's context pushed under the next requests)."""
    response: TestResponse = client.open(path, method=method, headers=dict(headers), **sent)
    try:
        text = response.get_data(as_text=True) if response.mimetype in _JSON else ""
        body = response.get_json(silent=True) if text else None
        return Answer(
            status=response.status_code,
            mimetype=response.mimetype or "",
            code=str(body.get("code")) if isinstance(body, dict) else None,
            challenge=response.headers.get("WWW-Authenticate", ""),
            text=text,
        )
    finally:
        response.close()


def refusals_of_bad_tokens(
    client: FlaskClient,
    conformance: Conformance,
    tokens: Mapping[str, str],
    *,
    accepted: str | None = None,
) -> list[str]:
    """Send each operation taking a bearer token each of ``tokens`` (by name); return each
    answer that is not a 401 problem with ``WWW-Authenticate: Bearer``.

    An operation where the token is optional must refuse a bad one too, not serve it as an
    anonymous caller. ``accepted``, a valid token made like the bad ones, must not be refused:
    else the bad ones are refused for some other fault than their own.
    """
    found: list[str] = []
    for operation in conformance.operations:
        if not takes_bearer(conformance, operation):
            continue
        method, path = operation.method.upper(), sample_path(operation.path)
        for name, token in tokens.items():
            answer = _ask(client, path, method, _bearer(token))
            if not answer.is_problem(401) or not answer.challenge.lower().startswith("bearer"):
                found.append(f"{method} {operation.path} ({name}): {answer.status}")
        if accepted is not None and _ask(client, path, method, _bearer(accepted)).status == 401:
            found.append(f"{method} {operation.path} refuses the valid token too: 401")
    return found


def refusals_of_roles(
    client: FlaskClient, conformance: Conformance, headers_of: Mapping[str, Headers]
) -> list[str]:
    """Send each operation as each role of ``headers_of`` (role -> headers of a caller holding
    only it, in the right administration); return each server error, each role outside the
    operation's ``x-roles`` not refused with a 403 ``forbidden`` problem, and each role inside
    them refused so (the document would name the wrong roles)."""
    found: list[str] = []
    for operation in conformance.operations:
        method, path = operation.method.upper(), sample_path(operation.path)
        roles = operation.spec.get(ROLES_EXTENSION)
        for role, headers in headers_of.items():
            answer = _ask(client, path, method, headers)
            refused = answer.is_problem(403) and answer.code == "forbidden"
            where = f"{method} {operation.path} as {role}: {answer.status}"
            if answer.status >= 500:
                found.append(f"{where} (a server error)")
            elif roles and role not in roles and not refused:
                found.append(f"{where} (not in x-roles {roles}: must be 403)")
            elif roles and role in roles and refused:
                found.append(f"{where} (in x-roles {roles}, yet refused)")
    return found


def _sent(given: Sent) -> dict[str, Any]:
    return dict(given() if callable(given) else given)


def path_parameters(path: str) -> list[str]:
    """Return the names of ``path``'s parameters, in order."""
    return _PARAMETER.findall(path)


def operations_across_administrations(
    conformance: Conformance, ids: Mapping[str, str]
) -> list[Operation]:
    """Return the operations ``refusals_across_administrations`` checks with ``ids``: those
    whose path has parameters, all of them in ``ids``."""
    return [
        operation
        for operation in conformance.operations
        if (names := path_parameters(operation.path)) and set(names) <= set(ids)
    ]


def refusals_across_administrations(
    client: FlaskClient,
    conformance: Conformance,
    *,
    ids: Mapping[str, str],
    owner: Headers,
    stranger: Headers,
    sent: Mapping[str, Sent] | None = None,
) -> list[str]:
    """Send each operation naming only ``ids`` (real ids of the owner's administration) as the
    stranger (a caller of another administration with the owner's roles); return each answer
    that is a success, or that differs (status or problem code) from what the stranger gets for
    ids that name nothing, or for a read, that is not a 404 problem.

    The owner must get a success on each of these reads, so the ids are real and a leak can
    show; the owner is never sent a write. ``sent`` gives what else to send an operation (its
    ``json`` body, ``query_string``; or a function returning them, for a file read once), by
    ``"METHOD path"`` as the document spells them.
    """
    found: list[str] = []
    for operation in operations_across_administrations(conformance, ids):
        method = operation.method.upper()
        label = f"{method} {operation.path}"
        given = (sent or {}).get(label, {})
        real = _PARAMETER.sub(lambda match: ids[match.group(1)], operation.path)
        if method == "GET":
            mine = _ask(client, real, method, owner, **_sent(given))
            if not 200 <= mine.status < 300:
                found.append(f"{label}: the owner gets {mine.status}, the ids are not real")
                continue
        unknown = _ask(client, sample_path(operation.path), method, stranger, **_sent(given))
        theirs = _ask(client, real, method, stranger, **_sent(given))
        if theirs.status < 400:
            found.append(f"{label}: the stranger gets {theirs.status}")
        elif (theirs.status, theirs.code) != (unknown.status, unknown.code):
            seen = (theirs.status, theirs.code)
            found.append(f"{label}: the stranger gets {seen}, for nothing {unknown.status}")
        elif method == "GET" and not theirs.is_problem(404):
            found.append(f"{label}: the stranger gets {theirs.status}, not a 404 problem")
    return found


def leaks_in_lists(
    client: FlaskClient,
    conformance: Conformance,
    *,
    private: Collection[str],
    owner: Headers,
    stranger: Headers,
) -> list[str]:
    """Read each operation without path parameters (the lists) as the owner and the stranger;
    return each answer of the stranger mentioning one of ``private`` (ids of the owner's
    administration's resources), and each of them no answer of the owner mentions (then the
    check could not fail). Only JSON answers are read: a stream is never waited for."""
    found: list[str] = []
    mentioned: set[str] = set()
    for operation in conformance.operations:
        if operation.method != "get" or path_parameters(operation.path):
            continue
        mentioned |= {i for i in private if i in _ask(client, operation.path, "GET", owner).text}
        theirs = _ask(client, operation.path, "GET", stranger).text
        found += [f"GET {operation.path}: the stranger sees {i}" for i in private if i in theirs]
    unseen = [i for i in private if i not in mentioned]
    return found + [f"{i}: in no list the owner reads, so the check cannot fail" for i in unseen]
