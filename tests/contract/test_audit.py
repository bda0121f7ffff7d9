"""The dependency audit: a vulnerability fails, an unreachable service is never a pass."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("audit", ROOT / "deploy/local/audit.py")
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)

SKIPPED = "Dependency not found on PyPI and could not be audited: flask (3.1.0)"


def test_a_vulnerable_dependency_is_listed_with_its_fix():
    report = {
        "dependencies": [
            {
                "name": "jinja2",
                "version": "3.1.2",
                "vulns": [{"id": "GHSA-x", "fix_versions": ["3.1.3"]}],
            },
            {"name": "flask", "version": "3.1.0", "vulns": []},
        ]
    }
    assert audit.summarize(report) == (2, ["jinja2 3.1.2: GHSA-x (fixed in 3.1.3)"], [])


def test_skipped_dependencies_are_not_counted_as_audited():
    report = {"dependencies": [{"name": "flask", "skip_reason": SKIPPED}]}
    assert audit.summarize(report) == (
        0,
        [],
        ["Dependency not found on PyPI and could not be audited"],
    )


def test_an_audit_that_could_not_check_says_so_and_never_passes(monkeypatch, capsys):
    monkeypatch.setattr(
        audit, "run_audit", lambda *a: {"dependencies": [{"name": "flask", "skip_reason": SKIPPED}]}
    )
    assert audit.main([]) == 0
    assert audit.main(["--strict"]) == 3
    said = capsys.readouterr().out
    assert "NOT CHECKED" in said and "passed" not in said


def test_a_vulnerability_fails_the_audit(monkeypatch, capsys):
    monkeypatch.setattr(
        audit,
        "run_audit",
        lambda *a: {
            "dependencies": [
                {"name": "x", "version": "1", "vulns": [{"id": "CVE-1", "fix_versions": []}]}
            ]
        },
    )
    assert audit.main([]) == 1
    assert "FAILED: 1 known vulnerabilities" in capsys.readouterr().out
