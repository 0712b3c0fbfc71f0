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
            label,
            (charts.Segment(0, 7), charts.Segment(2, 7)),
            14,
            "50% delivered (7 of 14 days)",
        ),
        charts.Bar("Extended time", (), 0, "no days with an opportunity"),
    ]
    return charts.share_bars(
        bars, SERIES, title="Delivery rate", desc="Share of days.", prefix="t",
        axis_label="Share of logged days",
    )  # fmt: skip


def week_columns() -> str:
    cols = [
        charts.Column(f"Nov {d}", v, 5, f"{v} of 5 provision-days")
        for d, v in ((2, 1), (9, 4), (16, 0))
    ]
    return charts.columns(
        cols, title="Misses by week", desc="Per week.", prefix="w", axis_label="Share missed"
    )


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
    assert "50% delivered (7 of 14 days)" in texts(stacked())
    assert "no days with an opportunity" in texts(stacked())
    week = texts(week_columns())
    assert {"Nov 2", "Nov 9", "Nov 16", "Share missed"} <= set(week)
    assert "Nov 9: 4 of 5 provision-days" in "".join(ET.fromstring(week_columns()).itertext())


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


def test_it_wraps_long_labels_onto_two_lines_that_fit_a_phone():
    label = "Specialized instruction in reading " * 5
    root = ET.fromstring(stacked(label))
    shown = ["".join(t.itertext()) for t in root.iter(f"{NS}text") if t.get("class") == "label"]
    shown = shown[:2]  # the first bar's label
    assert shown[0] == "Specialized instruction in reading"
    assert all(len(line) <= charts.LINE_CHARS for line in shown)
    assert shown[-1].endswith("…")


def test_it_labels_at_most_five_weeks_below_a_long_axis():
    cols = [charts.Column(f"W{n}", n % 3, 5, f"{n % 3} of 5") for n in range(40)]
    svg = charts.columns(cols, title="Weeks", desc="Forty weeks.", prefix="long")
    labels = [t for t in texts(svg) if t.startswith("W")]
    assert 1 < len(labels) <= 5


def rects(svg: str, kind: str) -> list[ET.Element]:
    return [r for r in ET.fromstring(svg).iter(f"{NS}rect") if r.get("class") == kind]


@pytest.mark.parametrize(
    ("counts", "total"), [((12,), 12), ((3,), 3), ((1, 2, 3), 8), ((0, 5), 7), ((2,), 101)]
)
def test_a_bar_is_its_count_over_its_denominator_never_the_largest_count(counts, total):
    bars = [
        charts.Bar("Full", (charts.Segment(0, 12),), 12, "12 of 12"),  # a larger bar beside it
        charts.Bar("Row", tuple(charts.Segment(i, c) for i, c in enumerate(counts)), total, "x"),
    ]
    svg = charts.share_bars(bars, SERIES, title="T", desc="D", prefix="r", axis_label="Share")
    track = float(rects(svg, "track")[1].get("width", ""))
    drawn = [float(r.get("width", "")) / track for r in rects(svg, "segment")]
    assert drawn[0] == 1.0
    assert drawn[1:] == pytest.approx([c / total for c in counts if c], abs=1e-4)
    # The scale is labelled above the bars and below them.
    assert [t for t in texts(svg) if t.endswith("%")] == ["0%", "25%", "50%", "75%", "100%"] * 2


def test_a_column_is_its_count_over_its_denominator():
    cols = [charts.Column("A", 3, 3, "3 of 3"), charts.Column("B", 3, 12, "3 of 12")]
    svg = charts.columns(cols, title="T", desc="D", prefix="c")
    heights = [float(r.get("height", "")) for r in rects(svg, "column")]
    assert heights[1] == pytest.approx(heights[0] / 4, abs=0.01)
    assert [t for t in texts(svg) if t.endswith("%")] == ["0%", "25%", "50%", "75%", "100%"]


def test_chart_text_is_never_smaller_than_fifteen_units_in_a_phone_wide_viewbox():
    assert charts.WIDTH <= 390 - 2 * 16  # a phone's content box: one unit is at least 1 px
    for svg in (stacked(), week_columns()):
        root = ET.fromstring(svg)
        sizes = [
            int(t.get("font-size") or root.get("font-size") or 0) for t in root.iter(f"{NS}text")
        ]
        assert min(sizes) >= 15


def test_empty_charts_are_still_valid():
    for svg in (
        charts.share_bars([], SERIES, title="T", desc="D", prefix="e1", axis_label="Share"),
        charts.columns([], title="T", desc="D", prefix="e2"),
    ):
        assert ET.fromstring(svg).get("role") == "img"
