"""Every page template keeps to the gateway's Content-Security-Policy (``style-src 'self'``,
``script-src 'self'``): no style attribute, no inline style or script block, no inline event
handler. The browser would silently drop them: a progress bar drawn by a ``style`` width showed
empty through the gateway."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The report file is a self-contained document (downloaded as an attachment, opened offline or
# printed to PDF), not a page served under the policy: its styles are inline on purpose.
DOCUMENTS = ("services/reports/reports/templates/report/",)
TEMPLATES = sorted(
    path
    for path in [
        *ROOT.glob("services/*/*/templates/**/*.html"),
        *ROOT.glob("shared/shared/templates/**/*.html"),
    ]
    if not str(path.relative_to(ROOT)).startswith(DOCUMENTS)
)
REFUSED = {
    "a style attribute": re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE),
    "an inline style block": re.compile(r"<style[\s>]", re.IGNORECASE),
    "an inline script": re.compile(r"<script(?![^>]*\ssrc\s*=)[^>]*>", re.IGNORECASE),
    "an inline event handler": re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE),
}


def test_the_templates_are_found():
    assert len(TEMPLATES) >= 15


def test_no_template_holds_what_the_content_security_policy_refuses():
    found = [
        f"{path.relative_to(ROOT)}:{text[: m.start()].count(chr(10)) + 1}: {what}"
        for path in TEMPLATES
        for text in [path.read_text(encoding="utf-8")]
        for what, pattern in REFUSED.items()
        for m in pattern.finditer(text)
    ]
    assert found == []


def test_every_bar_width_class_a_template_can_produce_is_styled():
    css = (ROOT / "shared/shared/static/site.css").read_text(encoding="utf-8")
    assert [n for n in range(0, 101, 5) if f".pct-{n} {{ width: {n}%; }}" not in css] == []
