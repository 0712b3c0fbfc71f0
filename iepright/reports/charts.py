"""Charts as SVG text, drawn on our server: no script, no font or image from anywhere else.

Every chart is an <svg role="img"> with a <title> and a <desc> and is sized by its viewBox, so
it scales down to a 390-px phone. A bar or column is a share, "X of Y": its length is exactly
X ÷ Y of a labelled 0–100 % axis, never scaled to the largest count, so "3 of 3" and "12 of 12"
are both full. Meaning never rests on colour alone: each bar carries its
numbers as text, and the parts of a stacked bar differ by pattern as well as colour (with a
legend). Colours have at least 3:1 contrast against white (WCAG 2.2, 1.4.11). The page puts a
table with the same numbers beside each chart.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape

# The viewBox is about as wide as a 390-px phone's content box, so one unit is about one CSS
# pixel there: text of 15 or 16 units is drawn at 15 or 16 px, never under 12 (the page caps
# the chart's width so it does not grow huge on a wide screen either).
WIDTH = 350
FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif"'
SIZE, SMALL = 16, 15
# A label wraps onto at most two lines of this many characters (about 8 units a character).
LINE_CHARS = 40
LABEL_CHARS = 2 * LINE_CHARS
TICKS = (0, 25, 50, 75, 100)
# Contrast against white: blue 7.3:1, amber 5.9:1, red 6.5:1, grey 7.6:1.
BLUE = "#0b57a4"
AMBER = "#8a5a00"
RED = "#b3261e"
GREY = "#4a5560"
LIGHT = "#8a96a3"  # gridlines only: the scale is read from its labelled ticks
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
    """One labelled row of a horizontal bar chart: counts out of `total`, with them as text."""

    label: str
    segments: tuple[Segment, ...]
    total: float
    value_text: str


@dataclass(frozen=True)
class Column:
    """One column of a column chart (for example one week): `value` out of `total`."""

    label: str
    value: float
    total: float
    value_text: str


def share(value: float, total: float) -> float:
    """Return value ÷ total, between 0 and 1 (0 without a total)."""
    return min(1.0, max(0.0, value / total)) if total > 0 else 0.0


def _e(text: object) -> str:
    return str(escape(str(text)))


def _lines(text: str) -> list[str]:
    """Return the label on at most two lines, shortened with "…" when it is longer."""
    text = " ".join(text.split())
    if len(text) > LABEL_CHARS:
        text = text[: LABEL_CHARS - 1].rstrip() + "…"
    lines = textwrap.wrap(text, LINE_CHARS, break_long_words=True) or [""]
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), LINE_CHARS, placeholder="…")]
    return lines


def _open(width: int, height: int, title: str, desc: str, prefix: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="{prefix}-title {prefix}-desc" '
        f'class="chart" preserveAspectRatio="xMinYMin meet" {FONT} font-size="{SIZE}">',
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


def _legend(series: Sequence[Series], prefix: str) -> tuple[list[str], int]:
    """Return the legend, one series a line (they never run off a phone), and its height."""
    out = []
    for n, s in enumerate(series):
        y = n * 24
        out.append(
            f'<rect x="0" y="{y + 4}" width="16" height="16" fill="{_fill(s, n, prefix)}" '
            f'stroke="{s.colour}" stroke-width="1.5"/>'
            f'<text x="24" y="{y + 18}" fill="{TEXT}">{_e(s.label)}</text>'
        )
    return out, len(series) * 24 + 8


def _axis_label(x: float, y: float, text: str) -> tuple[list[str], float]:
    """Return an axis's name on as many lines as it needs, and the height they take."""
    lines = textwrap.wrap(" ".join(text.split()), LINE_CHARS + 4) if text else []
    out = [
        f'<text x="{x}" y="{y + 20 * n}" font-size="{SMALL}" fill="{TEXT}" '
        f'class="axis-label">{_e(line)}</text>'
        for n, line in enumerate(lines)
    ]
    return out, 20.0 * len(lines)


def _ticks(left: float, plot: float, y: float) -> list[str]:
    out = []
    for tick in TICKS:
        x = left + plot * tick / 100
        anchor = "start" if tick == 0 else "end" if tick == 100 else "middle"
        out.append(
            f'<text x="{x:.1f}" y="{y}" text-anchor="{anchor}" font-size="{SMALL}" '
            f'fill="{TEXT}" class="tick">{tick}%</text>'
        )
    return out


def _grid(left: float, plot: float, top: float, bottom: float) -> list[str]:
    """Return the 0, 25, 50, 75 and 100 % gridlines of a horizontal share axis."""
    return [
        f'<line x1="{left + plot * tick / 100:.1f}" y1="{top}" x2="{left + plot * tick / 100:.1f}" '
        f'y2="{bottom}" stroke="{LIGHT}" stroke-width="1" stroke-dasharray="3 3"/>'
        for tick in TICKS
    ]


def share_bars(
    bars: Sequence[Bar],
    series: Sequence[Series],
    *,
    title: str,
    desc: str,
    prefix: str,
    axis_label: str,
) -> str:
    """Return horizontal bars, each `segments` ÷ `total` of a 0–100 % axis, with a legend.

    Each row is its label (up to two lines), its numbers as text, then the bar.
    """
    plot = WIDTH - 8  # room for the "100%" label's last character
    legend, y = _legend(series, prefix) if len(series) > 1 else ([], 0)
    # The 0–100 % scale is labelled above the bars (the first screen of a long chart) and below.
    top_ticks = _ticks(0, plot, y + 16)
    y += 22
    top = y
    body: list[str] = []
    for bar in bars:
        body.append('<g class="bar">')
        for line in _lines(bar.label):
            y += 20
            body.append(f'<text x="0" y="{y}" fill="{TEXT}" class="label">{_e(line)}</text>')
        y += 22
        body.append(
            f'<text x="0" y="{y}" font-size="{SMALL}" fill="{TEXT}" class="value">'
            f"{_e(bar.value_text)}</text>"
        )
        y += 8
        body.append(
            f'<rect x="0" y="{y}" width="{plot}" height="20" fill="none" stroke="{GREY}" '
            f'stroke-width="1" class="track"/>'
        )
        left = 0.0
        for seg in bar.segments:
            if seg.value <= 0 or bar.total <= 0:
                continue
            s = series[seg.series]
            w = plot * share(seg.value, bar.total)
            body.append(
                f'<rect x="{left:.2f}" y="{y}" width="{w:.2f}" height="20" '
                f'fill="{_fill(s, seg.series, prefix)}" stroke="{s.colour}" stroke-width="1" '
                f'class="segment" data-value="{_fmt(seg.value)}" '
                f'data-total="{_fmt(bar.total)}"/>'
            )
            left += w
        y += 20 + 12
        body.append("</g>")
    if not bars:
        y += 30
        body.append(f'<text x="0" y="{y}" fill="{TEXT}">–</text>')
    bottom = y
    name, name_height = _axis_label(0, bottom + 42, axis_label)
    height = int(bottom + 26 + name_height + 8)
    out = _open(WIDTH, height, title, desc, prefix)
    out.append(_defs(series, prefix))
    out += legend + _grid(0, plot, top, bottom) + top_ticks + _ticks(0, plot, bottom + 18) + name
    out += body
    out.append("</svg>")
    return "\n".join(out)


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def columns(
    cols: Sequence[Column], *, title: str, desc: str, prefix: str, axis_label: str = ""
) -> str:
    """Return vertical columns (for example misses per week), each `value` ÷ `total` high.

    The left axis runs 0–100 %; at most five columns are labelled below, so the text never
    overlaps on a phone.
    """
    top, base, left = 12, 200, 48
    name, name_height = _axis_label(left, base + 48, axis_label)
    height = int(base + 34 + name_height)
    n = max(1, len(cols))
    step = (WIDTH - left) / n
    every = max(1, -(-len(cols) // 5))
    out = _open(WIDTH, height, title, desc, prefix)
    for tick in TICKS:
        y = base - (base - top) * tick / 100
        line = 'stroke-width="1"' if tick == 0 else 'stroke-width="0.5" stroke-dasharray="3 3"'
        out.append(
            f'<line x1="{left - 4}" y1="{y:.1f}" x2="{WIDTH}" y2="{y:.1f}" stroke="{GREY}" {line}/>'
            f'<text x="{left - 8}" y="{y + 5:.1f}" text-anchor="end" font-size="{SMALL}" '
            f'fill="{TEXT}" class="tick">{tick}%</text>'
        )
    for i, col in enumerate(cols):
        x = left + i * step
        h = (base - top) * share(col.value, col.total)
        w = max(1.0, step * 0.7)
        out.append(
            f'<g><rect x="{x:.2f}" y="{base - h:.2f}" width="{w:.2f}" height="{h:.2f}" '
            f'fill="{BLUE}" class="column" data-value="{_fmt(col.value)}" '
            f'data-total="{_fmt(col.total)}"><title>{_e(col.label)}: {_e(col.value_text)}'
            f"</title></rect>"
        )
        if i % every == 0:
            out.append(
                f'<text x="{x:.1f}" y="{base + 22}" fill="{TEXT}" font-size="{SMALL}" '
                f'class="label">{_e(col.label)}</text>'
            )
        out.append("</g>")
    out += name
    out.append("</svg>")
    return "\n".join(out)
