"""Checking framework folders for experts: ``flask --app assessment frameworks validate [PATH]``.

Needs no database: references resolve against the repository's frameworks and the folders
checked. Every problem is one line with its place in the files, for example::

    blockchain-readiness/1.0: areas[2] (use-cases) > indicators[0] (bc.uc.problem) > question
    > fr: French text missing
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click
from flask.cli import AppGroup

from assessment.framework import LANGUAGES, FrameworkError, parse_framework
from assessment.framework_refs import reference_of
from assessment.frameworks import (
    FRAMEWORKS_DIR,
    folder_label,
    folders_under,
    read_folders,
    read_framework_dir,
    resolve_all,
)
from shared.translations import counted, language_name

REWORDED = {
    "Missing data for required field.": "missing",
    "Unknown field.": "unknown field (check its spelling and indentation)",
}


def describe(errors: Any, document: Any = None, path: tuple[str, ...] = ()) -> list[str]:
    """Return one readable line per problem of a nested ``FrameworkError.errors``."""
    if isinstance(errors, str):
        return [_line(path, errors)]
    if isinstance(errors, list | tuple):
        return [line for item in errors for line in describe(item, document, path)]
    lines = []
    for key, value in errors.items():
        child = _child(document, key)
        lines.extend(describe(value, child, (*path, _step(key, child))))
    return lines


def _child(document: Any, key: Any) -> Any:
    if isinstance(document, list) and isinstance(key, int) and 0 <= key < len(document):
        return document[key]
    if isinstance(document, Mapping):
        return document.get(key, document.get(str(key)))
    return None


def _step(key: Any, child: Any) -> str:
    if not isinstance(key, int):
        return str(key)
    if isinstance(child, Mapping) and child.get("key"):
        return f"[{key}] ({child['key']})"
    if reference_of(child):
        return f"[{key}] (reuse {reference_of(child)})"
    return f"[{key}]"


def _line(path: tuple[str, ...], message: str) -> str:
    last = path[-1] if path else ""
    if last in LANGUAGES and message == "Missing data for required field.":
        message = f"{language_name(last, 'en')} text missing"
    elif last in LANGUAGES and message.startswith("Shorter than minimum length"):
        message = f"{language_name(last, 'en')} text is empty"
    else:
        message = REWORDED.get(message, message)
    where = "".join(p if p.startswith("[") else f" > {p}" for p in path).removeprefix(" > ")
    return f"{where}: {message}" if where else message


def _folders(paths: tuple[Path, ...]) -> list[Path]:
    found = []
    for path in paths:
        inside = [path] if (path / "framework.yaml").exists() else folders_under(path)
        if not inside:
            raise click.ClickException(f"no framework under {path} (no */*/framework.yaml)")
        found.extend(inside)
    return found


def validate_folders(checked: list[Path], root: Path = FRAMEWORKS_DIR) -> dict[str, list[str]]:
    """Return the problems of each checked folder (empty lists: valid), by ``key/version``.

    The repository's other frameworks are read too, so references to them resolve.
    """
    labels = {folder_label(f) for f in checked}
    others = [f for f in folders_under(root) if folder_label(f) not in labels]
    report: dict[str, list[str]] = {label: [] for label in sorted(labels)}
    try:
        documents, _ = read_folders([*others, *checked])
        resolve_all(documents)
    except FrameworkError as exc:
        raw = _raw_documents([*others, *checked])
        for label, errors in exc.errors.items():
            lines = describe(errors, raw.get(label)) if isinstance(errors, dict) else [str(errors)]
            report.setdefault(label, []).extend(lines)
    return report


def _raw_documents(folders: list[Path]) -> dict[str, Any]:
    raw = {}
    for folder in folders:
        try:
            raw[folder_label(folder)] = read_framework_dir(folder)
        except FrameworkError:
            continue
    return raw


def summary(folder: Path, root: Path = FRAMEWORKS_DIR) -> str:
    """Return what a valid folder holds: areas, indicators, use cases, modules reused."""
    documents, _ = read_folders([*folders_under(root), folder])
    key = (folder.parent.name, folder.name)
    framework = parse_framework(resolve_all(documents)[key])
    reused = [
        f"{a.origin[0]}@{a.origin[1]}/{a.origin[2]}"
        for a in framework.areas
        if a.origin[:2] != (framework.key, framework.version)
    ]
    text = (
        f"{len(framework.areas)} areas, {len(framework.indicators)} indicators, "
        f"{len(framework.use_cases)} use cases"
    )
    return text + (f"; reuses {', '.join(reused)}" if reused else "")


def command_group() -> AppGroup:
    """Return the ``frameworks`` command group."""
    group = AppGroup("frameworks", help="Framework files: check them before publishing.")

    @group.command("validate")
    @click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
    def validate(paths: tuple[Path, ...]) -> None:
        """Validate framework folders (default: every framework of the repository)."""
        checked = {folder_label(f): f for f in _folders(paths or (FRAMEWORKS_DIR,))}
        report = validate_folders(list(checked.values()))
        failed = 0
        for label, problems in report.items():
            if problems:
                failed += 1
                click.echo(f"{label}: {counted(len(problems), 'problem', 'problems')}")
                for line in problems:
                    click.echo(f"  {line}")
            elif label in checked:
                click.echo(f"{label}: valid ({summary(checked[label])})")
        if failed:
            raise click.ClickException(
                f"{counted(failed, 'framework version', 'framework versions')} invalid"
            )

    return group
