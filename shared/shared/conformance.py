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
        if documented is None:
            return [f"status {status} is not documented (documented: {sorted(responses)})"]
        documented = self._resolve(documented)
        where = f"{method} {operation.path} -> {status}"
        found = [
            *self._content_problems(documented, response),
            *self._header_problems(documented, response),
        ]
        return [f"{where}: {problem}" for problem in found]

    def _content_problems(self, documented: Mapping[str, Any], response: TestResponse) -> list[str]:
        content = documented.get("content") or {}
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
        found: list[str] = []
        for name, header in (documented.get("headers") or {}).items():
            header = self._resolve(header)
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

    def _resolve(self, item: Mapping[str, Any]) -> Mapping[str, Any]:
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
