"""A bounded fuzzing run of a service's OpenAPI document (for the test suites and ``make fuzz``).

Schemathesis generates requests from the document, valid and invalid (both generation modes),
for every operation; each
answer must not be a server error and must match the documented status, content type, headers
and schema. The number of examples per operation bounds the run (``FUZZ_MAX_EXAMPLES``).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@dataclass
class OperationRun:
    """What the fuzzing of one operation sent and found."""

    label: str
    requests: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0


def max_examples() -> int:
    """Return the examples per operation: ``FUZZ_MAX_EXAMPLES``, 10 by default."""
    return int(os.environ.get("FUZZ_MAX_EXAMPLES", "10"))


def fuzz(
    app: Flask,
    *,
    headers: Mapping[str, str],
    examples: int | None = None,
    known: Mapping[str, str] | None = None,
    state_dependent: Collection[str] = (),
    skip: Callable[[str], bool] = lambda label: False,
) -> list[OperationRun]:
    """Fuzz every operation of ``app``'s document as the caller of ``headers``; return the runs.

    ``known`` maps path parameters to ids that exist (an assessment, a report): operations
    taking them are also fuzzed on those, not only on ids that name nothing. ``state_dependent``
    lists the problem codes a schema-valid request may rightly get (a 422 naming something that
    does not exist, such as an indicator the framework lacks): the only 422s allowed for valid data.
    """
    context = _Context(dict(headers), examples or max_examples(), frozenset(state_dependent))
    # One caller sending thousands of writes meets its write limit, and a 429 hides what lies
    # behind it; the limit has its own tests, so the fuzzer's caller is not limited.
    limiter = app.extensions.get("writes")
    if limiter is not None:
        limiter.limit = 0
    path = f"{app.config['OPENAPI_URL_PREFIX']}/{app.config['OPENAPI_JSON_PATH']}"
    schema = schemathesis.openapi.from_wsgi(path, app)
    runs: list[OperationRun] = []
    for result in schema.get_all_operations():
        operation = result.ok()  # type: ignore[union-attr]  # an invalid document raises here
        if skip(operation.label):
            continue
        run = OperationRun(operation.label)
        for mode in GenerationMode:
            _fuzz_operation(run, operation.as_strategy(generation_mode=mode), mode, context)
        names = {p.name for p in operation.path_parameters}
        fixed = {name: value for name, value in (known or {}).items() if name in names}
        if fixed:
            strategy = operation.as_strategy(path_parameters=fixed)
            _fuzz_operation(run, strategy, GenerationMode.POSITIVE, context)
        runs.append(run)
    return runs


@dataclass(frozen=True)
class _Context:
    headers: dict[str, str]
    examples: int
    state_dependent: frozenset[str]

    def checks_for(self, mode: GenerationMode, response: Any) -> list[Any]:
        """Return the checks of one answer (valid data must be accepted, save a known refusal)."""
        if mode is not GenerationMode.POSITIVE:
            return CHECKS
        if response.status_code == 422 and _code(response) in self.state_dependent:
            return CHECKS
        return [*CHECKS, positive_data_acceptance]


def _code(response: Any) -> str | None:
    try:
        body = response.json()
    except ValueError:
        return None
    return body.get("code") if isinstance(body, dict) else None


def _fuzz_operation(
    run: OperationRun, strategy: Any, mode: GenerationMode, context: _Context
) -> None:
    started = time.perf_counter()

    @given(case=strategy)
    @settings(
        max_examples=context.examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def send(case: Any) -> None:
        response = case.call(headers=context.headers)
        run.requests += 1
        run.statuses[response.status_code] = run.statuses.get(response.status_code, 0) + 1
        try:
            case.validate_response(response, checks=context.checks_for(mode, response))
        except FailureGroup as exc:  # every check that failed, with a repro
            run.failures.append(_brief(exc))

    try:
        send()
    except FailureGroup as exc:  # what hypothesis re-raises once it has shrunk a failure
        run.failures.append(_brief(exc))
    except Unsatisfiable:  # nothing in the operation can be made invalid (no input at all)
        pass
    run.seconds += time.perf_counter() - started


def _brief(error: BaseException) -> str:
    lines = [line.strip(" |") for line in str(error).splitlines()]
    return " | ".join(line for line in lines if line.strip())[:600]


def summary(service: str, runs: list[OperationRun]) -> str:
    """Return a run's report: one line per operation, then the totals."""
    lines = [f"fuzzing {service}: {len(runs)} operations"]
    for run in runs:
        statuses = " ".join(f"{status}x{count}" for status, count in sorted(run.statuses.items()))
        lines.append(
            f"  {run.label}: {run.requests} requests ({statuses}), {len(run.failures)} failures"
        )
        lines += [f"    ! {failure}" for failure in run.failures[:3]]
    requests = sum(run.requests for run in runs)
    errors = sum(count for run in runs for status, count in run.statuses.items() if status >= 500)
    failures = sum(len(run.failures) for run in runs)
    lines.append(
        f"  total: {requests} requests, {errors} server errors, {failures} contract failures"
    )
    return "\n".join(lines)
