"""Server-drawn SVG charts: well-formed, self-contained, labelled in text, escaped."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from iepright.reports import charts

NS = "{http://www.w3.org/2000/svg}"
SERIES = [
    charts.Series("✓ Delivered", charts.BLUE, "solid"),
    charts.Series("◐ Partly", charts.AMBER, "hatch"),
    charts.Series("✗ Not delivered", charts.RED, "cross"),
]


def stacked(label: str = "Speech-language therapy") -> str:
    bars = [
        charts.Bar(
            label, (charts.Segment(0, 50), charts.Segment(2, 50)), "50% delivered (7 of 14)"
        ),
        charts.Bar("Extended time", (), "no days with an opportunity"),
    ]
    return charts.stacked_bars(
        bars, SERIES, title="Delivery rate", desc="Share of days.", maximum=100, prefix="t"
    )


def week_columns() -> str:
    cols = [charts.Column(f"Nov {d}", v, f"{v} of 5 days") for d, v in ((2, 1), (9, 4), (16, 0))]
    return charts.columns(cols, title="Misses by week", desc="Per week.", prefix="w")


def texts(svg: str) -> list[str]:
    return ["".join(t.itertext()) for t in ET.fromstring(svg).iter(f"{NS}text")]


@pytest.mark.parametrize("make", [stacked, week_columns])
def test_it_is_valid_accessible_svg_sized_by_its_viewbox(make):
    root = ET.fromstring(make())
    assert root.tag == f"{NS}svg"
    assert root.get("role") == "img"
    assert re.fullmatch(r"0 0 \d+ \d+", root.get("viewBox") or "")
    assert root.get("width") == "100%" and root.get("height") is None
    title, desc = root.find(f"{NS}title"), root.find(f"{NS}desc")
    assert title is not None and desc is not None
    assert title.text and desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


@pytest.mark.parametrize("make", [stacked, week_columns])
def test_it_refers_to_nothing_outside_itself(make):
    svg = make()
    assert "<script" not in svg and "href" not in svg and "<image" not in svg
    assert re.findall(r"https?://[^\"]+", svg) == ["http://www.w3.org/2000/svg"]
    for ref in re.findall(r"url\(#([^)]+)\)", svg):
        assert f'id="{ref}"' in svg


def test_the_numbers_appear_as_text():
    assert "50% delivered (7 of 14)" in texts(stacked())
    assert "no days with an opportunity" in texts(stacked())
    week = texts(week_columns())
    assert {"Nov 2", "Nov 9", "Nov 16", "1", "4"} <= set(week)


def test_meaning_is_not_colour_alone():
    svg = stacked()
    # A legend names each series with its symbol; partly and not delivered are patterned.
    assert {"✓ Delivered", "◐ Partly", "✗ Not delivered"} <= set(texts(svg))
    assert 'fill="url(#t-p2)"' in svg and '<pattern id="t-p1"' in svg


@pytest.mark.parametrize("colour", [charts.BLUE, charts.AMBER, charts.RED, charts.GREY])
def test_the_palette_has_3_to_1_contrast_against_white(colour):
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    assert (1.05) / (luminance(colour) + 0.05) >= 3


def test_it_escapes_provision_text():
    svg = stacked('<script>alert("x")</script> & more')
    assert "<script>" not in svg
    root = ET.fromstring(svg)  # still well-formed
    assert any(t.startswith('<script>alert("x")</script> & more') for t in texts(svg))
    assert root is not None


def test_it_shortens_long_labels_to_fit_a_phone():
    label = "Specialized instruction in reading " * 5
    shown = texts(stacked(label))
    first = next(t for t in shown if t.startswith("Specialized"))
    assert len(first) <= charts.LABEL_CHARS and first.endswith("…")


def test_it_labels_at_most_eight_weeks_below_a_long_axis():
    cols = [charts.Column(f"W{n}", n % 3, f"{n % 3}") for n in range(40)]
    svg = charts.columns(cols, title="Weeks", desc="Forty weeks.", prefix="long")
    labels = [t for t in texts(svg) if t.startswith("W")]
    assert 1 < len(labels) <= 8


def test_simple_bars_have_no_legend_and_scale_to_the_largest():
    svg = charts.simple_bars(
        [("Mondays", 2.0, "2 of 5"), ("Tuesdays", 4.0, "4 of 6")],
        title="By weekday", desc="Misses.", prefix="wd",
    )  # fmt: skip
    widths = [float(w) for w in re.findall(r'<rect x="0.0" y="\d+" width="([\d.]+)"', svg)]
    assert widths == [charts.BAR_WIDTH / 2, charts.BAR_WIDTH]  # scaled to the largest
    assert "2 of 5" in texts(svg) and "4 of 6" in texts(svg)


def test_empty_charts_are_still_valid():
    for svg in (
        charts.stacked_bars([], SERIES, title="T", desc="D", maximum=100, prefix="e1"),
        charts.columns([], title="T", desc="D", prefix="e2"),
        charts.simple_bars([], title="T", desc="D", prefix="e3"),
    ):
        assert ET.fromstring(svg).get("role") == "img"
