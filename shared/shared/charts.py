"""Small inline SVG charts for pages and reports (no JavaScript, a few hundred bytes)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class Axis:
    """One spoke of a radar chart: its label, the value and an optional target (same scale)."""

    label: str
    value: float | None
    target: float | None = None


def _point(cx: float, cy: float, radius: float, index: int, count: int) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return cx + radius * math.cos(angle), cy + radius * math.sin(angle)


def _polygon(points: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def radar_svg(
    axes: Sequence[Axis],
    *,
    low: float = 1.0,
    high: float = 5.0,
    size: int = 360,
    title: str = "",
    value_label: str = "Level",
    target_label: str = "Target",
) -> str:
    """Return an accessible SVG radar chart of ``axes`` against their targets."""
    count = len(axes)
    if count < 3:
        raise ValueError("a radar chart needs at least three axes")
    pad_x = 110  # room for labels left and right of the chart
    pad_y = 30
    width, height = size + 2 * pad_x, size + 2 * pad_y
    cx, cy = width / 2, height / 2
    radius = size / 2 - 30

    def scale(value: float | None) -> float:
        clipped = min(max(value if value is not None else low, low), high)
        return radius * (clipped - low) / (high - low)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="radar-title" style="max-width:100%;'
        'height:auto">',
        f'<title id="radar-title">{escape(title)}</title>',
    ]
    for ring in range(int(low), int(high) + 1):
        ring_points = [_point(cx, cy, scale(ring), i, count) for i in range(count)]
        parts.append(f'<polygon points="{_polygon(ring_points)}" fill="none" stroke="#d5dbe3"/>')
    for i, axis in enumerate(axes):
        x, y = _point(cx, cy, radius, i, count)
        lx, ly = _point(cx, cy, radius + 22, i, count)
        anchor = "middle" if abs(lx - cx) < 5 else ("start" if lx > cx else "end")
        parts.append(f'<line x1="{cx}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}" stroke="#d5dbe3"/>')
        lines = _wrap(axis.label)
        first_dy = -0.6 * (len(lines) - 1)
        spans = "".join(
            f'<tspan x="{lx:.1f}" dy="{first_dy if n == 0 else 1.2:.1f}em">{escape(line)}</tspan>'
            for n, line in enumerate(lines)
        )
        parts.append(
            f'<text x="{lx:.1f}" y="{ly:.1f}" font-size="12" text-anchor="{anchor}" '
            f'dominant-baseline="middle">{spans}</text>'
        )
    if any(a.target is not None for a in axes):
        targets = [_point(cx, cy, scale(a.target), i, count) for i, a in enumerate(axes)]
        parts.append(
            f'<polygon class="target" points="{_polygon(targets)}" fill="none" stroke="#a05a00" '
            f'stroke-dasharray="5 4" stroke-width="2"><title>{escape(target_label)}</title>'
            "</polygon>"
        )
    values = [_point(cx, cy, scale(a.value), i, count) for i, a in enumerate(axes)]
    parts.append(
        f'<polygon class="value" points="{_polygon(values)}" fill="#0b5394" fill-opacity="0.25" '
        f'stroke="#0b5394" stroke-width="2"><title>{escape(value_label)}</title></polygon>'
    )
    parts.append("</svg>")
    return "".join(parts)


def _wrap(label: str, width: int = 18) -> list[str]:
    """Split a label into lines of about ``width`` characters, at spaces."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]
