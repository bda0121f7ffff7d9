"""Audit the locked dependencies for known vulnerabilities (``make audit``; CI runs it).

The lock is exported to a pinned requirements list and checked by pip-audit against its
vulnerability service. Three outcomes, never confused:

- every dependency audited, none vulnerable: "dependency audit: passed" (exit 0);
- a known vulnerability in any dependency: each one listed with the fixed versions (exit 1);
- the vulnerability service could not be asked, or answered for none or only some of the
  dependencies (a package index without the vulnerability data, no network): "dependency audit:
  NOT CHECKED" with how many went unaudited and why (exit 0 unless ``--strict``, exit 3 then).
  That is never reported as a pass.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
UV = ROOT / ".tools" / "uv" / "bin" / "uv"


def export_requirements(path: Path) -> None:
    """Write the locked third-party dependencies, pinned, to ``path``."""
    uv = str(UV) if UV.exists() else "uv"
    env = {**os.environ, "PYTHONPATH": str(UV.parents[1])} if UV.exists() else None
    subprocess.run(  # noqa: S603 - uv of the project, our own arguments
        [uv, "export", "--frozen", "--all-packages", "--no-emit-workspace", "--no-hashes",
         "--format", "requirements-txt", "--output-file", str(path)],
        cwd=ROOT, env=env, check=True, capture_output=True, timeout=120,
    )  # fmt: skip


def run_audit(requirements: Path, service: str, timeout_s: float) -> dict[str, object] | str:
    """Return pip-audit's JSON report, or why it could not produce one."""
    audit = Path(sys.executable).with_name("pip-audit")
    try:
        done = subprocess.run(  # noqa: S603 - pip-audit from the venv, our own arguments
            [str(audit), "--disable-pip", "--no-deps", "-r", str(requirements), "-f", "json",
             "--progress-spinner", "off", "-s", service],
            capture_output=True, text=True, timeout=timeout_s, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return f"the vulnerability service did not answer within {timeout_s:.0f} s"
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return f"pip-audit could not ask the service ({last[:200]})"
    return report if isinstance(report, dict) else "pip-audit gave no report"


def summarize(report: dict[str, object]) -> tuple[int, list[str], list[str]]:
    """Return (dependencies audited, vulnerability lines, skip reasons)."""
    audited, found, skipped = 0, [], []
    for dep in report.get("dependencies", []) or []:  # type: ignore[union-attr]
        if dep.get("skip_reason"):
            skipped.append(str(dep["skip_reason"]).split(":")[0])
            continue
        audited += 1
        for vuln in dep.get("vulns", []):
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
            found.append(
                f"{dep['name']} {dep.get('version', '?')}: {vuln['id']} (fixed in {fixed})"
            )
    return audited, found, skipped


def main(argv: list[str] | None = None) -> int:
    """Audit the lock and print one verdict line (and the details)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--service", default="pypi", choices=("pypi", "osv"))
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("--strict", action="store_true", help="exit 3 when not checked")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        requirements = Path(tmp) / "requirements.txt"
        export_requirements(requirements)
        total = sum(
            1 for line in requirements.read_text().splitlines() if line and line[0].isalnum()
        )
        report = run_audit(requirements, args.service, args.timeout)
    if isinstance(report, str):
        print(f"dependency audit: NOT CHECKED ({total} dependencies): {report}")
        return 3 if args.strict else 0
    audited, found, skipped = summarize(report)
    for line in found:
        print(f"  vulnerable: {line}")
    if found:
        print(f"dependency audit: FAILED: {len(found)} known vulnerabilities ({audited} audited)")
        return 1
    if audited < total:
        reasons = "; ".join(f"{n} x {why}" for why, n in Counter(skipped).most_common(3))
        print(
            f"dependency audit: NOT CHECKED: {total - audited} of {total} dependencies could "
            f"not be audited ({reasons}); the {args.service} vulnerability data is not "
            "reachable from here"
        )
        return 3 if args.strict else 0
    print(f"dependency audit: passed ({audited} dependencies, no known vulnerability)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
