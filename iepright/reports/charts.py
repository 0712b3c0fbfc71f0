"""Charts as SVG text, drawn on our server: no script, no font or image from anywhere else.

Every chart is an <svg role="img"> with a <title> and a <desc> and is sized by its viewBox, so
it scales down to a 390-px phone. Meaning never rests on colour alone: each bar carries its
numbers as text, and the parts of a stacked bar differ by pattern as well as colour (with a
legend). Colours have at least 3:1 contrast against white (WCAG 2.2, 1.4.11). The page puts a
table with the same numbers beside each chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape

WIDTH = 480
# Leaves room beside each bar for "100% delivered (45 of 46)" on a 390-px phone.
BAR_WIDTH = 230
FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif"'
LABEL_CHARS = 58
# Contrast against white: blue 7.3:1, amber 5.9:1, red 6.5:1, grey 7.6:1.
BLUE = "#0b57a4"
AMBER = "#8a5a00"
RED = "#b3261e"
GREY = "#4a5560"
TEXT = "#1b1f23"


@dataclass(frozen=True)
class Segment:
    """One part of a stacked bar: a count drawn in a series' colour and pattern."""

    series: int
    value: float


@dataclass(frozen=True)
class Series:
    """A kind of segment, named in the legend (with its text symbol) and drawn its own way."""

    label: str
    colour: str
    pattern: str  # "solid" | "hatch" | "cross"


@dataclass(frozen=True)
class Bar:
    """One labelled row of a horizontal bar chart, with its numbers as text."""

    label: str
    segments: tuple[Segment, ...]
    value_text: str


@dataclass(frozen=True)
class Column:
    """One column of a column chart (for example one week)."""

    label: str
    value: float
    value_text: str


def _e(text: object) -> str:
    return str(escape(str(text)))


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _open(width: int, height: int, title: str, desc: str, prefix: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="{prefix}-title {prefix}-desc" '
        f'class="chart" preserveAspectRatio="xMinYMin meet" {FONT} font-size="14">',
        f'<title id="{prefix}-title">{_e(title)}</title>',
        f'<desc id="{prefix}-desc">{_e(desc)}</desc>',
    ]


def _defs(series: Sequence[Series], prefix: str) -> str:
    parts = ["<defs>"]
    for n, s in enumerate(series):
        if s.pattern == "solid":
            continue
        lines = f'<path d="M0,8 L8,0" stroke="{s.colour}" stroke-width="2.5"/>'
        if s.pattern == "cross":
            lines += f'<path d="M0,0 L8,8" stroke="{s.colour}" stroke-width="2.5"/>'
        parts.append(
            f'<pattern id="{prefix}-p{n}" width="8" height="8" patternUnits="userSpaceOnUse">'
            f'<rect width="8" height="8" fill="#ffffff"/>{lines}</pattern>'
        )
    parts.append("</defs>")
    return "".join(parts)


def _fill(series: Series, n: int, prefix: str) -> str:
    if series.pattern == "solid":
        return series.colour
    return f"url(#{prefix}-p{n})"


def stacked_bars(
    bars: Sequence[Bar],
    series: Sequence[Series],
    *,
    title: str,
    desc: str,
    maximum: float,
    prefix: str,
) -> str:
    """Return horizontal stacked bars, one per row, with a legend; segments share `maximum`."""
    bar_width, row = BAR_WIDTH, 52
    legend = len(series) > 1  # one series needs no legend
    legend_height = 28 if legend else 0
    height = legend_height + max(1, len(bars)) * row + 8
    out = _open(WIDTH, height, title, desc, prefix)
    out.append(_defs(series, prefix))
    x = 0
    for n, s in enumerate(series if legend else ()):
        out.append(
            f'<rect x="{x}" y="4" width="16" height="16" fill="{_fill(s, n, prefix)}" '
            f'stroke="{s.colour}" stroke-width="1.5"/>'
            f'<text x="{x + 22}" y="17" fill="{TEXT}">{_e(s.label)}</text>'
        )
        x += 30 + 8 * len(s.label)
    scale = bar_width / maximum if maximum > 0 else 0.0
    for i, bar in enumerate(bars):
        y = legend_height + i * row
        out.append(f'<g><text x="0" y="{y + 16}" fill="{TEXT}">{_e(_short(bar.label))}</text>')
        out.append(
            f'<rect x="0" y="{y + 24}" width="{bar_width}" height="20" fill="none" '
            f'stroke="{GREY}" stroke-width="1"/>'
        )
        left = 0.0
        for seg in bar.segments:
            if seg.value <= 0:
                continue
            s = series[seg.series]
            w = seg.value * scale
            out.append(
                f'<rect x="{left:.1f}" y="{y + 24}" width="{w:.1f}" height="20" '
                f'fill="{_fill(s, seg.series, prefix)}" stroke="{s.colour}" stroke-width="1"/>'
            )
            left += w
        out.append(
            f'<text x="{bar_width + 6}" y="{y + 39}" font-size="14" fill="{TEXT}">'
            f"{_e(bar.value_text)}</text></g>"
        )
    if not bars:
        out.append(f'<text x="0" y="{legend_height + 30}" fill="{TEXT}">–</text>')
    out.append("</svg>")
    return "\n".join(out)


def simple_bars(
    bars: Sequence[tuple[str, float, str]], *, title: str, desc: str, prefix: str
) -> str:
    """Return one-colour horizontal bars (label, value, value text), scaled to the largest."""
    maximum = max((value for _label, value, _text in bars), default=0.0)
    series = [Series("", BLUE, "solid")]
    rows = [Bar(label, (Segment(0, value),), text) for label, value, text in bars]
    return stacked_bars(rows, series, title=title, desc=desc, maximum=maximum, prefix=prefix)


def columns(
    cols: Sequence[Column], *, title: str, desc: str, prefix: str, axis_label: str = ""
) -> str:
    """Return vertical columns (for example misses per week), labelled below and on top."""
    height, top, base = 240, 24, 190
    n = max(1, len(cols))
    plot = WIDTH - 40
    step = plot / n
    maximum = max((c.value for c in cols), default=0.0)
    scale = (base - top) / maximum if maximum > 0 else 0.0
    # Label at most 8 columns below the axis, so the text never overlaps on a phone.
    every = max(1, -(-len(cols) // 8))
    out = _open(WIDTH, height, title, desc, prefix)
    out.append(
        f'<line x1="32" y1="{base}" x2="{WIDTH}" y2="{base}" stroke="{GREY}" stroke-width="1"/>'
        f'<text x="28" y="{base + 4}" text-anchor="end" fill="{TEXT}">0</text>'
        f'<text x="28" y="{top + 4}" text-anchor="end" fill="{TEXT}">{_fmt(maximum)}</text>'
        f'<line x1="32" y1="{top}" x2="{WIDTH}" y2="{top}" stroke="{GREY}" '
        f'stroke-width="0.5" stroke-dasharray="4 4"/>'
    )
    for i, col in enumerate(cols):
        x = 40 + i * step
        h = col.value * scale
        w = max(1.0, step * 0.7)
        out.append(
            f'<g><rect x="{x:.1f}" y="{base - h:.1f}" width="{w:.1f}" height="{h:.1f}" '
            f'fill="{BLUE}"><title>{_e(col.label)}: {_e(col.value_text)}</title></rect>'
        )
        if len(cols) <= 16 and col.value > 0:
            out.append(
                f'<text x="{x + w / 2:.1f}" y="{base - h - 4:.1f}" text-anchor="middle" '
                f'fill="{TEXT}" font-size="12">{_e(_fmt(col.value))}</text>'
            )
        if i % every == 0:
            out.append(
                f'<text x="{x:.1f}" y="{base + 18}" fill="{TEXT}" font-size="12">'
                f"{_e(col.label)}</text>"
            )
        out.append("</g>")
    if axis_label:
        out.append(f'<text x="40" y="{height - 8}" fill="{TEXT}">{_e(axis_label)}</text>')
    out.append("</svg>")
    return "\n".join(out)
