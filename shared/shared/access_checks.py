"""Access checks generated from a service's OpenAPI document (for the test suites).

Like those of ``shared.conformance``, each check covers every operation the document has, present
and future, and returns its findings (empty: none): bad tokens are refused with a 401 problem,
the roles outside an operation's ``x-roles`` with a 403 problem and no role ever meets a server
error, and a caller of another administration is told exactly what it is told for ids that name
nothing (a 404 problem on reads), so it cannot learn that a resource exists.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from shared.auth import ROLES_EXTENSION
from shared.conformance import Conformance, Operation, sample_path

PROBLEM = "application/problem+json"
_PARAMETER = re.compile(r"\{([^/]+?)\}")
Headers = Mapping[str, str]


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


def _code(response: TestResponse) -> str | None:
    body = response.get_json(silent=True)
    return str(body.get("code")) if isinstance(body, dict) else None


def _is_problem(response: TestResponse, status: int) -> bool:
    return response.status_code == status and response.mimetype == PROBLEM


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
            response = client.open(path, method=method, headers=_bearer(token))
            challenge = response.headers.get("WWW-Authenticate", "")
            if not _is_problem(response, 401) or not challenge.lower().startswith("bearer"):
                found.append(f"{method} {operation.path} ({name}): {response.status_code}")
        if accepted is not None:
            response = client.open(path, method=method, headers=_bearer(accepted))
            if response.status_code == 401:
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
            response = client.open(path, method=method, headers=dict(headers))
            refused = _is_problem(response, 403) and _code(response) == "forbidden"
            where = f"{method} {operation.path} as {role}: {response.status_code}"
            if response.status_code >= 500:
                found.append(f"{where} (a server error)")
            elif roles and role not in roles and not refused:
                found.append(f"{where} (not in x-roles {roles}: must be 403)")
            elif roles and role in roles and refused:
                found.append(f"{where} (in x-roles {roles}, yet refused)")
    return found


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
    sent: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[str]:
    """Send each operation naming only ``ids`` (real ids of the owner's administration) as the
    stranger (a caller of another administration with the owner's roles); return each answer
    that is a success, or that differs (status or problem code) from what the stranger gets for
    ids that name nothing, or for a read, that is not a 404 problem.

    The owner must get a success on each of these reads, so the ids are real and a leak can
    show; the owner is never sent a write. ``sent`` gives what else to send an operation (its
    ``json`` body, ``query_string``), by ``"METHOD path"`` as the document spells them.
    """
    found: list[str] = []
    for operation in operations_across_administrations(conformance, ids):
        method = operation.method.upper()
        label = f"{method} {operation.path}"
        extra = dict((sent or {}).get(label, {}))
        real = _PARAMETER.sub(lambda match: ids[match.group(1)], operation.path)
        if method == "GET":
            mine = client.open(real, method=method, headers=dict(owner), **extra)
            if not 200 <= mine.status_code < 300:
                found.append(f"{label}: the owner gets {mine.status_code}, the ids are not real")
                continue
        unknown = client.open(
            sample_path(operation.path), method=method, headers=dict(stranger), **extra
        )
        theirs = client.open(real, method=method, headers=dict(stranger), **extra)
        seen = (theirs.status_code, _code(theirs))
        if theirs.status_code < 400:
            found.append(f"{label}: the stranger gets {theirs.status_code}")
        elif seen != (unknown.status_code, _code(unknown)):
            found.append(f"{label}: the stranger gets {seen}, for nothing {unknown.status_code}")
        elif method == "GET" and not _is_problem(theirs, 404):
            found.append(f"{label}: the stranger gets {theirs.status_code}, not a 404 problem")
    return found
