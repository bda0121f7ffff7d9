"""A report in Portuguese: headings from the Portuguese catalog, Portuguese formats, and English
for the texts not translated yet (per string, visibly)."""

import json
from html import unescape
from pathlib import Path

from reports.builder import render_html

DATA = json.loads((Path(__file__).parent.parent / "fixtures" / "submission.json").read_text())


def test_a_report_in_portuguese_has_portuguese_headings_and_formats():
    page = unescape(render_html(DATA, "pt").content.decode("utf-8"))
    assert '<html lang="pt">' in page
    for heading in (
        "Relatório de autoavaliação",
        "Submetido em",
        "Síntese",
        "Resultados por domínio",
        "Recomendações prioritárias e roteiro",
    ):
        assert heading in page
    assert "Submetido em</dt><dd>8 de março de 2026" in page.replace("\n", "")
    assert "level of 2,4 (Developing)" in page  # Portuguese decimals in an English sentence
    assert "4 of 6 areas are below their target level." in page  # not translated yet
