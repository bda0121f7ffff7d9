"""Check that an answer is what the service's OpenAPI document promises (for the test suites).

Each service's test client runs every response through ``Conformance.check``: the status must
be documented for the operation, the content type must be one of those documented for that
status, a JSON body must validate against the documented schema (``format: date-time``
included, which needs an RFC 3339 offset), and each documented header that is sent must
validate against its own schema. Requests outside the document (pages, health, static files)
are not checked.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import jsonschema
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

_JSON_TYPES = ("application/json", "application/problem+json")
# Headers a client acts on: each one sent must be documented for that answer.
CONTRACT_HEADERS = ("Location", "ETag", "Retry-After", "Link", "X-Total-Count", "Allow")
_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


@dataclass(frozen=True)
class Operation:
    """One operation of an OpenAPI document."""

    method: str
    path: str
    pattern: re.Pattern[str]
    spec: Mapping[str, Any]


class Conformance:
    """A service's OpenAPI document, ready to check answers against."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        self.operations = list(_operations(document))

    @classmethod
    def of(cls, app: Flask) -> Conformance:
        """Return the checker of ``app``'s own OpenAPI document."""
        api = app.extensions["flask-smorest"]["apis"][""]["ext_obj"]
        return cls(api.spec.to_dict())

    def find(self, method: str, path: str) -> Operation | None:
        """Return the documented operation answering ``method`` on ``path``, if any."""
        for operation in self.operations:
            if operation.method == method.lower() and operation.pattern.fullmatch(path):
                return operation
        return None

    def problems(self, method: str, path: str, response: TestResponse) -> list[str]:
        """Return how ``response`` to ``method path`` departs from the document (empty: none)."""
        operation = self.find(method, path)
        if operation is None:
            return []
        responses = operation.spec.get("responses", {})
        status = str(response.status_code)
        documented = responses.get(status) or responses.get(f"{status[0]}XX")
        if documented is None and status.startswith("5"):
            documented = responses.get("default")  # server errors: the default problem
        if documented is None:
            return [f"status {status} is not documented (documented: {sorted(responses)})"]
        documented = self.resolve(documented)
        where = f"{method} {operation.path} -> {status}"
        found = [
            *self._content_problems(documented, response),
            *self._header_problems(documented, response),
        ]
        return [f"{where}: {problem}" for problem in found]

    def _content_problems(self, documented: Mapping[str, Any], response: TestResponse) -> list[str]:
        content = documented.get("content") or {}
        if response.status_code == 304:
            return []  # carries no content (RFC 9110 §15.4.5), whatever the content headers say
        if response.is_streamed and response.mimetype not in _JSON_TYPES:
            # Reading a stream (server-sent events) here would consume what the test reads.
            if response.mimetype in content:
                return []
            return [f"content type {response.mimetype} is not documented ({sorted(content)})"]
        body = response.get_data()
        if not content:
            return [f"a body is sent ({response.mimetype}) but none is documented"] if body else []
        if response.mimetype not in content:
            return [f"content type {response.mimetype} is not documented ({sorted(content)})"]
        schema = content[response.mimetype].get("schema")
        if schema is None or response.mimetype not in _JSON_TYPES:
            return []
        try:
            value = json.loads(body)
        except ValueError:
            return ["the body is not JSON"]
        return [f"body: {message}" for message in self._schema_problems(schema, value)]

    def _header_problems(self, documented: Mapping[str, Any], response: TestResponse) -> list[str]:
        declared = documented.get("headers") or {}
        found = [
            f"header {name} is sent but not documented"
            for name in CONTRACT_HEADERS
            if name in response.headers and name not in declared
        ]
        for name, header in declared.items():
            header = self.resolve(header)
            value = response.headers.get(name)
            if value is None:
                if header.get("required"):
                    found.append(f"header {name} is documented as required but not sent")
                continue
            schema = header.get("schema") or {}
            parsed: Any = value
            if schema.get("type") == "integer":
                parsed = int(value) if re.fullmatch(r"-?\d+", value) else value
            found += [f"header {name}: {m}" for m in self._schema_problems(schema, parsed)]
        return found

    def _schema_problems(self, schema: Mapping[str, Any], value: Any) -> Iterator[str]:
        validator = jsonschema.Draft4Validator(
            _nullable({**schema, "components": self.document.get("components", {})}),
            format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER,
        )
        for error in validator.iter_errors(value):
            yield f"{'/'.join(str(p) for p in error.absolute_path) or '(root)'}: {error.message}"

    def resolve(self, item: Mapping[str, Any]) -> Mapping[str, Any]:
        """Return ``item`` with its ``$ref`` followed (within the document)."""
        while "$ref" in item:
            node: Any = self.document
            for part in str(item["$ref"]).removeprefix("#/").split("/"):
                node = node[part]
            item = node
        return item


def _nullable(schema: Any) -> Any:
    """Return an OpenAPI 3.0 schema as JSON Schema (``nullable`` becomes a ``null`` type)."""
    if isinstance(schema, list):
        return [_nullable(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    converted = {key: _nullable(value) for key, value in schema.items()}
    if converted.pop("nullable", False):
        if "type" in converted:
            kind = converted["type"]
            converted["type"] = [*kind, "null"] if isinstance(kind, list) else [kind, "null"]
            if "enum" in converted:
                converted["enum"] = [*converted["enum"], None]
        else:
            converted = {"anyOf": [converted, {"type": "null"}]}
    return converted


def _operations(document: Mapping[str, Any]) -> Iterator[Operation]:
    # Literal segments first, so ``/items/import`` is not taken for ``/items/{id}``.
    paths = sorted(document.get("paths", {}).items(), key=lambda item: item[0].count("{"))
    for path, item in paths:
        pattern = re.compile(re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(path)))
        for method in _METHODS:
            if method in item:
                yield Operation(method, path, pattern, item[method])


class ConformingClient(FlaskClient):
    """A test client that fails a test on any answer its service's document does not promise."""

    conformance: Conformance | None = None

    def open(self, *args: Any, **kwargs: Any) -> TestResponse:
        """Send the request, then check the answer against the OpenAPI document."""
        response = super().open(*args, **kwargs)
        request = response.request
        if self.conformance is None:
            self.conformance = Conformance.of(self.application)
        found = self.conformance.problems(request.method, request.path, response)
        if found:
            raise AssertionError("the answer breaks the OpenAPI document:\n" + "\n".join(found))
        return response


def conforming_client(app: Flask) -> FlaskClient:
    """Return a test client of ``app`` that checks every answer against its OpenAPI document."""
    app.test_client_class = ConformingClient
    return app.test_client()


# -- checks generated from the document: each covers every operation, present and future -----
OUT_OF_RANGE = ("0", "-1", "12345678901234567890", "abc")
_OTHER_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "TRACE", "PROPFIND", "FOO")


def sample_path(path: str) -> str:
    """Return ``path`` with each ``{parameter}`` replaced by an id that names nothing."""
    return re.sub(r"\{[^/]+?\}", "no-such-id", path)


def _needs_token(operation: Operation) -> bool:
    security = operation.spec.get("security")
    return security is None or (bool(security) and {} not in security)


def refusals_without_token(client: FlaskClient, conformance: Conformance) -> list[str]:
    """Send each operation that needs a token without one; return what is not a 401 problem."""
    found: list[str] = []
    for operation in conformance.operations:
        if not _needs_token(operation):
            continue
        response = client.open(sample_path(operation.path), method=operation.method.upper())
        if response.status_code != 401 or response.mimetype != "application/problem+json":
            found.append(f"{operation.method} {operation.path}: {response.status_code}")
    return found


def refusals_of_bad_pages(
    client: FlaskClient, conformance: Conformance, headers: Mapping[str, str]
) -> list[str]:
    """Send each list operation out-of-range pages; return what is not a 422 naming the field."""
    found: list[str] = []
    for operation in conformance.operations:
        names = {p.get("name") for p in operation.spec.get("parameters", []) if "name" in p}
        for field in sorted(names & {"page", "page_size"}):
            for value in (*OUT_OF_RANGE, "101" if field == "page_size" else "10001"):
                response = client.open(
                    sample_path(operation.path),
                    method=operation.method.upper(),
                    query_string={field: value},
                    headers=dict(headers),
                )
                body = response.get_json(silent=True) or {}
                if response.status_code != 422 or field not in (body.get("errors") or {}):
                    found.append(f"{operation.path}?{field}={value}: {response.status_code}")
    return found


def refusals_of_other_methods(client: FlaskClient, conformance: Conformance) -> list[str]:
    """Send each path every method it does not take; return what is not a 405 problem + Allow."""
    found: list[str] = []
    paths: dict[str, set[str]] = {}
    for operation in conformance.operations:
        paths.setdefault(operation.path, set()).add(operation.method.upper())
    for path, taken in paths.items():
        concrete = sample_path(path)
        for method in _OTHER_METHODS:
            # ``/items/import`` also matches ``/items/{id}``: that operation answers, rightly.
            if method in taken or conformance.find(method, concrete) is not None:
                continue
            response = client.open(concrete, method=method)
            allowed = {m.strip() for m in response.headers.get("Allow", "").split(",")}
            if (
                response.status_code != 405
                or response.mimetype != "application/problem+json"
                or not taken <= allowed
            ):
                found.append(f"{method} {path}: {response.status_code} Allow={sorted(allowed)}")
    return found


def undocumented_refusals(conformance: Conformance) -> list[str]:
    """Return each documented 4xx/5xx answer that is not ``application/problem+json`` Problem."""
    found: list[str] = []
    for operation in conformance.operations:
        for status, response in operation.spec.get("responses", {}).items():
            if not (status == "default" or status.startswith(("4", "5"))):
                continue
            content = conformance.resolve(response).get("content") or {}
            schema = content.get("application/problem+json", {}).get("schema", {})
            if set(content) != {"application/problem+json"} or not str(
                schema.get("$ref", "")
            ).endswith("/Problem"):
                found.append(f"{operation.method} {operation.path} {status}: {sorted(content)}")
    return found


_UNSAFE = "a\x15b"
# Asked in French, refused in French: by the text rule, or by a field's own stricter pattern.
_UNSAFE_SAID = "Contient un caractère de contrôle (U+0015)"


def _unsafe_bodies(conformance: Conformance, schema: Any, depth: int = 0) -> Iterator[Any]:
    """Yield a body per free-text field reachable in ``schema``, that field holding ``_UNSAFE``.

    Every string that is not a choice (``enum``) or a format is free text: a schema forgetting
    the text rule is found here too, not only the fields documenting it.
    """
    schema = conformance.resolve(schema)
    if schema.get("type") == "string":
        if "enum" not in schema and "format" not in schema:
            yield _UNSAFE
    elif schema.get("type") == "array" and depth < 4:
        items = schema.get("items", {})
        yield from ([item] for item in _unsafe_bodies(conformance, items, depth + 1))
    elif depth < 4:
        for name, inner in (schema.get("properties") or {}).items():
            yield from ({name: value} for value in _unsafe_bodies(conformance, inner, depth + 1))


def refusals_of_unsafe_text(
    client: FlaskClient, conformance: Conformance, headers: Mapping[str, str]
) -> list[str]:
    """Send each text field, query parameter and path id a control character; return each
    answer that is not a 422 naming it in French (404 for an id)."""
    found: list[str] = []
    asked = {**headers, "Accept-Language": "fr"}
    for operation in conformance.operations:
        method, path = operation.method.upper(), sample_path(operation.path)
        content = conformance.resolve(operation.spec.get("requestBody") or {}).get("content", {})
        schema = content.get("application/json", {}).get("schema")
        sent = [("json", body) for body in _unsafe_bodies(conformance, schema)] if schema else []
        for parameter in operation.spec.get("parameters", []):
            parameter = conformance.resolve(parameter)
            if parameter.get("in") == "query" and next(
                _unsafe_bodies(conformance, parameter.get("schema", {})), None
            ):
                sent.append(("query_string", {parameter["name"]: _UNSAFE}))
        for where, value in sent:
            response = client.open(path, method=method, headers=asked, **{where: value})
            body = response.get_json(silent=True) or {}
            named = next(iter(value)) in (body.get("errors") or {})
            said = _UNSAFE_SAID in response.text or "Ne correspond pas au format" in response.text
            if response.status_code != 422 or not named or not said:
                found.append(f"{method} {operation.path} {where}={value!r}: {response.status_code}")
        if "{" in operation.path:
            response = client.open(sample_path(operation.path).replace("-", "%00"), method=method)
            if response.status_code != 404 or response.mimetype != "application/problem+json":
                found.append(f"{method} {operation.path} with NUL in an id: {response.status_code}")
    return found
