"""docs/operations.md agrees with the code: every ``flask --app ...`` command it shows exists with
the options it uses (Flask's CLI runner on each service's real app), every environment variable
it names is read or set somewhere in the code or deployment files, and its metrics are exactly
those the services expose on /metrics."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import click
import pytest
from flask import Flask

from shared.testing import TEST_AUDIENCE, TEST_ISSUER

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "operations.md"
SERVICES = ("portal", "assessment", "reports")
# Where a setting may be read or set: the services' and shared code, the deployment files.
SETTING_SOURCES = (
    *(ROOT / "services" / svc / svc for svc in SERVICES),
    ROOT / "shared" / "shared",
    ROOT / "deploy",
)
SETTING_FILES = (ROOT / "docker-compose.yml", ROOT / ".env.example")
SETTING_SUFFIXES = {".py", ".yml", ".yaml", ".sh", ".template", ".Dockerfile", ".env", ""}
# Upper-case words with an underscore the doc uses that are not settings of ours.
NOT_SETTINGS = {
    "ENTRY_ID": "the argument of events dead-letters show/replay/purge",
    "JOB_ID": "the argument of jobs retry and jobs rebuild",
    "ADMINISTRATION_ID": "the argument of jobs rebuild --administration",
    "DELIVERY_ID": "the argument of deliveries resend",
}
ENV_NAME = re.compile(r"(?<![A-Za-z0-9_$])(?:<SVC>|[A-Z][A-Z0-9]*)(?:_[A-Z0-9]+)+(?![A-Za-z0-9_])")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)
INLINE = re.compile(r"`([^`\n]+)`")
METRIC = re.compile(r"\b(?:http|portal|assessment|reports)_[a-z0-9_]+\b")


def _doc() -> str:
    return DOC.read_text()


def _code_texts(doc: str) -> list[tuple[str, str]]:
    """Return (language, text) of each fenced block, then ("inline", text) of each code span
    outside them."""
    fences = [(lang or "text", body) for lang, body in FENCE.findall(doc)]
    prose = FENCE.sub("", doc)
    return fences + [("inline", span) for span in INLINE.findall(prose)]


def _commands(doc: str) -> list[tuple[str, list[str]]]:
    """Return (service, words after ``--app <service>``) of each ``flask --app`` command."""
    found = []
    for _lang, text in _code_texts(doc):
        for line in text.replace("\\|", "|").splitlines():
            for match in re.finditer(r"flask\s+--app\s+(\S+)((?:\s+[^\s#;&`]+)*)", line):
                service, words = match.group(1), match.group(2).split()
                if words[:1] == ["..."]:  # the form of every command, not one command
                    continue
                for svc in SERVICES if service == "<svc>" else (service,):
                    found.append((svc, words))
    return found


@pytest.fixture(scope="module")
def apps(redis_url: str, jwks: dict[str, Any], tmp_path_factory: pytest.TempPathFactory):
    """Return each service's real app (its own SQLite database, the test Redis)."""
    from assessment import create_app as assessment_app
    from portal import create_app as portal_app
    from reports import create_app as reports_app

    folder = tmp_path_factory.mktemp("operations-doc")
    made: dict[str, Flask] = {}
    for svc, factory in (
        ("portal", portal_app),
        ("assessment", assessment_app),
        ("reports", reports_app),
    ):
        made[svc] = factory(_config(svc, folder, redis_url, jwks))
    yield made
    made["reports"].extensions["celery"].close()
    for app in made.values():
        app.extensions["db"].dispose()


def _config(svc: str, folder: Path, redis_url: str, jwks: dict[str, Any]) -> dict[str, Any]:
    return {
        "TESTING": True,
        "DATABASE_URL": f"sqlite:///{folder / (svc + '.db')}",
        "REDIS_URL": redis_url,
        "AUTH_ISSUER": TEST_ISSUER,
        "AUTH_AUDIENCE": TEST_AUDIENCE,
        "AUTH_JWKS": jwks,
        "LOG_FORMAT": "text",
    }


def _resolve(app: Flask, words: list[str]) -> list[tuple[list[str], click.Command, list[str]]]:
    """Follow ``words`` down the app's command groups; return (path, command, the rest) for
    each alternative spelt ``a|b`` where a subcommand is expected."""
    results = []

    def walk(command: click.Command, path: list[str], rest: list[str]) -> None:
        if isinstance(command, click.Group) and rest:
            names = rest[0].split("|")
            if all(name in command.commands for name in names):
                for name in names:
                    walk(command.commands[name], [*path, name], rest[1:])
                return
            pytest.fail(f"`{' '.join(path)}` has no command {rest[0]!r}")
        results.append((path, command, rest))

    walk(app.cli, [], words)
    return results


def test_the_doc_shows_commands_of_every_kind():
    commands = _commands(_doc())
    shown = {(svc, " ".join(words[:3])) for svc, words in commands}
    for expected in (
        ("reports", "events dead-letters list"),
        ("reports", "events dead-letters replay"),
        ("reports", "events dead-letters purge"),
        ("reports", "jobs failed"),
        ("reports", "jobs retry"),
        ("portal", "db upgrade"),
    ):
        assert any(svc == expected[0] and words.startswith(expected[1]) for svc, words in shown)


def test_every_command_in_the_doc_exists_with_its_options(apps):
    problems = []
    for svc, words in _commands(_doc()):
        for path, command, rest in _resolve(apps[svc], words):
            if isinstance(command, click.Group):
                problems.append(f"{svc} {' '.join(path)}: a group, not a command")
                continue
            options = {"--help"}
            for param in command.params:
                options.update(param.opts, param.secondary_opts)
            for word in rest:
                for part in word.strip("[]").split("|"):
                    name = part.strip("[]").split("=")[0]
                    if name.startswith("-") and name not in options:
                        problems.append(f"{svc} {' '.join(path)}: no option {name}")
            result = apps[svc].test_cli_runner().invoke(args=[*path, "--help"])
            if result.exit_code != 0:
                problems.append(f"{svc} {' '.join(path)} --help: {result.output}")
    assert problems == []


def _setting_text() -> str:
    parts = [path.read_text() for path in SETTING_FILES if path.exists()]
    for folder in SETTING_SOURCES:
        for path in folder.rglob("*"):
            wanted = path.suffix in SETTING_SUFFIXES and "tests" not in path.parts
            if wanted and path.is_file():
                parts.append(path.read_text(errors="ignore"))
    return "\n".join(parts)


def test_every_environment_variable_in_the_doc_is_used_by_the_code_or_deployment():
    names = set()
    for name in ENV_NAME.findall(_doc()):
        if name.startswith("<SVC>"):
            names.update(name.replace("<SVC>", svc.upper()) for svc in SERVICES)
        else:
            names.add(name)
    names -= set(NOT_SETTINGS)
    assert {"REPORTS_WEB_WORKERS", "EVENTS_MAX_DELIVERIES", "DATA_DIR"} <= names
    text = _setting_text()
    missing = sorted(name for name in names if not re.search(rf"\b{name}\b", text))
    assert missing == []


def _exposed(apps: dict[str, Flask]) -> set[str]:
    """Return every metric name the services' /metrics serve (a histogram's series too)."""
    names = set()
    for app in apps.values():
        client = app.test_client()
        client.get("/healthz")  # a request, so the request metrics have a sample
        text = client.get("/metrics").get_data(as_text=True)
        for name, kind in re.findall(r"^# TYPE (\S+) (\S+)$", text, re.M):
            names.add(name)
            if kind == "histogram":
                names.update(f"{name}_{suffix}" for suffix in ("bucket", "sum", "count"))
    return names


def _documented_metrics(doc: str) -> set[str]:
    found = set()
    for lang, text in _code_texts(doc):
        if lang in {"inline", "promql"}:
            found.update(METRIC.findall(text))
    return found


def test_the_doc_lists_exactly_the_metrics_the_services_expose(apps):
    exposed = _exposed(apps)
    documented = _documented_metrics(_doc())
    assert {"http_requests_total", "reports_events_dead_letters"} <= exposed
    assert sorted(documented - exposed) == [], "named in the doc, served by no service"
    histogram_series = {name for name in exposed if name.endswith(("_bucket", "_sum", "_count"))}
    assert sorted(exposed - histogram_series - documented) == [], "served but not documented"
