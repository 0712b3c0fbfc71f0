"""A small layout engine for the reports: text, tables and bars drawn straight onto the canvas.

Why not platypus: a school year's chronology is thousands of table rows with wrapped notes, and
a platypus Table of Paragraphs takes seconds for it. This engine does what the reports need and
nothing more: column widths are fixed up front, text is wrapped with the font's own widths
(cached per word), and each page is kept as a list of drawing operations. Because the whole
document is laid out before anything is drawn, the page count is known when the pages are
drawn, so "page N of M" costs nothing extra (no second pass, no saved page states).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab import rl_config
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from iepright.reports.pdf import fonts

# Binary (Flate only) page streams: ASCII85 on top makes files bigger and, without ReportLab's
# optional C accelerator, costs more time than laying out the pages.
rl_config.useA85 = 0

PAGE_WIDTH: float
PAGE_HEIGHT: float
PAGE_WIDTH, PAGE_HEIGHT = LETTER  # US Letter: the paper American schools and courts use
MARGIN = 46.0
TOP = PAGE_HEIGHT - 58.0  # below the running header
BOTTOM = 62.0  # above the footer
LEADING = 1.22  # line height as a multiple of the font size
CELL_PAD_X = 3.0
MIN_SHARE = 0.6  # a column keeps at least this part of its share when others widen
CELL_PAD_Y = 2.2
HEADER_GRAY = 0.86
ZEBRA_GRAY = 0.955
RULE_GRAY = 0.55


# Text to draw: (x, baseline of the first line, font, size, lines). The lines go down the page
# one leading (size × LEADING) apart, so a wrapped table cell is one item; an empty line is a
# line left blank.
Text = tuple[float, float, str, float, Sequence[str]]


@dataclass
class Page:
    """One page's drawing operations: filled boxes, rules and text."""

    boxes: list[tuple[float, float, float, float, float]] = field(default_factory=list)
    rules: list[tuple[float, float, float, float, float]] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    images: list[tuple[ImageReader, float, float, float, float]] = field(default_factory=list)


@dataclass(frozen=True)
class Column:
    """A table column: its heading, its share of the frame width, and alignment."""

    title: str
    share: float
    align: str = "left"  # or "right"
    bold: bool = False


# Widths at size 1 of the strings measured so far, one table per font, shared by every report
# in the process (a width never changes). Bounded, so unusual text cannot grow it for ever.
_widths: dict[str, dict[str, float]] = {}
_WIDTHS_KEPT = 100_000


def _width_table(font: str) -> dict[str, float]:
    table = _widths.get(font)
    if table is None:
        table = _widths[font] = {}
    return table


def _measure(table: dict[str, float], text: str, font: str) -> float:
    """Return the width of text at size 1, measuring it and keeping it when new."""
    w = table.get(text)
    if w is None:
        w = pdfmetrics.stringWidth(text, font, 1.0)
        if len(table) < _WIDTHS_KEPT:
            table[text] = w
    return w


def text_width(text: str, font: str, size: float) -> float:
    """Return the width of text in points (cached per font and string at size 1)."""
    return _measure(_width_table(font), text, font) * size


def _break_word(word: str, font: str, size: float, width: float) -> list[str]:
    """Return pieces of a word too long for the line, each fitting the width."""
    pieces, cur, cur_w = [], "", 0.0
    for ch in word:
        w = text_width(ch, font, size)
        if cur and cur_w + w > width:
            pieces.append(cur)
            cur, cur_w = "", 0.0
        cur += ch
        cur_w += w
    pieces.append(cur)
    return pieces


_wrapped: dict[tuple[str, str, float, float], list[str]] = {}


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Return the lines of text wrapped to width (points); line breaks in text are kept.

    Short texts (dates, statuses, provision names) repeat down a table, so their lines are
    cached; long ones (notes) are nearly always unique and are not.
    """
    if len(text) > 60:
        return _wrap(text, font, size, width)
    key = (text, font, size, width)
    lines = _wrapped.get(key)
    if lines is None:
        lines = _wrap(text, font, size, width)
        if len(_wrapped) < 50_000:
            _wrapped[key] = lines
    return lines


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    table = _width_table(font)
    space = _measure(table, " ", font) * size
    for para in fonts.clean_lines(text):
        if not para:
            lines.append("")
            continue
        if len(para) < 40 and _measure(table, para, font) * size <= width:
            lines.append(para)
            continue
        cur: list[str] = []
        cur_w = 0.0
        for word in para.split():
            w = table.get(word)
            if w is None:
                w = _measure(table, word, font)
            w *= size
            if w > width:
                if cur:
                    lines.append(" ".join(cur))
                pieces = _break_word(word, font, size, width)
                lines.extend(pieces[:-1])
                cur, cur_w = [pieces[-1]], text_width(pieces[-1], font, size)
                continue
            if cur and cur_w + space + w > width:
                lines.append(" ".join(cur))
                cur, cur_w = [word], w
            else:
                cur_w += (space if cur else 0.0) + w
                cur.append(word)
        if cur:
            lines.append(" ".join(cur))
    return lines or [""]


class Layout:
    """Lays out a document top to bottom into pages of drawing operations."""

    def __init__(self) -> None:
        self.regular, self.bold = fonts.register()
        self.left = MARGIN
        self.width = PAGE_WIDTH - 2 * MARGIN
        self.pages: list[Page] = []
        self.y: float = TOP
        self.new_page()

    # Pages -------------------------------------------------------------------------------

    @property
    def page(self) -> Page:
        return self.pages[-1]

    def new_page(self) -> None:
        """Start a new page."""
        self.pages.append(Page())
        self.y = TOP

    def fits(self, height: float) -> bool:
        """Return True if height points fit above the bottom margin."""
        return self.y - height >= BOTTOM

    def need(self, height: float) -> None:
        """Start a new page unless height points fit on this one."""
        if not self.fits(height) and self.y < TOP:
            self.new_page()

    def space(self, height: float) -> None:
        """Leave vertical space (none at the top of a page)."""
        if self.y < TOP:
            self.y -= height

    # Text --------------------------------------------------------------------------------

    def font(self, bold: bool) -> str:
        return self.bold if bold else self.regular

    def paragraph(
        self, text: str, *, size: float = 9.0, bold: bool = False, indent: float = 0.0,
        after: float = 4.0, keep: int = 1,
    ) -> None:  # fmt: skip
        """Write wrapped text; keep the first `keep` lines together on one page."""
        font = self.font(bold)
        lines = wrap(text, font, size, self.width - indent)
        leading = size * LEADING
        self.need(leading * min(keep, len(lines)))
        texts = self.page.texts
        x = self.left + indent
        for line in lines:
            if not self.fits(leading):
                self.new_page()
                texts = self.page.texts
            self.y -= leading
            if line:
                texts.append((x, self.y + size * 0.22, font, size, (line,)))
        self.y -= after

    def heading(self, text: str, *, level: int = 1) -> None:
        """Write a heading, kept with at least a few lines of what follows."""
        size = {0: 16.0, 1: 12.5, 2: 10.5}[level]
        self.space({0: 0.0, 1: 10.0, 2: 6.0}[level])
        self.need(size * LEADING + 40)
        self.paragraph(text, size=size, bold=True, after=3.0 if level else 6.0)

    def key_values(self, pairs: Sequence[tuple[str, str]], *, size: float = 9.0) -> None:
        """Write label: value lines with the labels in bold in a narrow column."""
        label_w = max((text_width(fonts.clean(k), self.bold, size) for k, _ in pairs), default=0)
        label_w = min(label_w + 8, self.width * 0.32)
        leading = size * LEADING
        for key, value in pairs:
            key_lines = wrap(key, self.bold, size, label_w - 6)
            value_lines = wrap(value, self.regular, size, self.width - label_w)
            n = max(len(key_lines), len(value_lines))
            self.need(leading * n)
            for i in range(n):
                self.y -= leading
                base = self.y + size * 0.22
                if i < len(key_lines) and key_lines[i]:
                    self.page.texts.append((self.left, base, self.bold, size, (key_lines[i],)))
                if i < len(value_lines) and value_lines[i]:
                    self.page.texts.append(
                        (self.left + label_w, base, self.regular, size, (value_lines[i],))
                    )
        self.y -= 4

    def rule(self, *, gray: float = RULE_GRAY, width: float = 0.5) -> None:
        """Draw a horizontal rule across the frame."""
        self.y -= 3
        self.page.rules.append((self.left, self.y, self.left + self.width, self.y, gray))
        self.y -= 4

    # Tables ------------------------------------------------------------------------------

    def _widths(self, columns: Sequence[Column], size: float) -> tuple[list[float], float]:
        """Return column widths from the shares and the heading's font size.

        Columns are widened so no heading word is split, taking the width from columns wider
        than they need — but never below MIN_SHARE of their own share, so a text column (the
        provision's words) is not squeezed to its heading. Where that is not enough (longer
        Spanish headings), the heading font steps down, to 70% of the body size at most.
        """
        total = sum(c.share for c in columns)
        widths = [self.width * c.share / total for c in columns]
        for head_size in (size, size * 0.9, size * 0.8, size * 0.7):
            need = [
                max(
                    max(
                        text_width(fonts.clean(w), self.bold, head_size)
                        for w in c.title.split() or [""]
                    )
                    + 2 * CELL_PAD_X
                    + 0.5,
                    MIN_SHARE * w,
                )
                for c, w in zip(columns, widths, strict=True)
            ]
            short = sum(max(0.0, n - w) for n, w in zip(need, widths, strict=True))
            spare = sum(max(0.0, w - n) for n, w in zip(need, widths, strict=True))
            if short <= 0:
                return widths, head_size
            if spare > short:
                adjusted = [
                    n if n > w else w - (w - n) * short / spare
                    for n, w in zip(need, widths, strict=True)
                ]
                return adjusted, head_size
        return widths, size * 0.7

    def table(
        self, columns: Sequence[Column], rows: Iterable[Sequence[str]], *, size: float = 7.5,
        zebra: bool = True, bold_rows: frozenset[int] = frozenset(),
    ) -> None:  # fmt: skip
        """Write a table; rows wrap, break across pages, and the heading row repeats."""
        widths, head_size = self._widths(columns, size)
        xs = [self.left]
        for w in widths[:-1]:
            xs.append(xs[-1] + w)
        inner = [w - 2 * CELL_PAD_X for w in widths]
        leading = size * LEADING
        head_leading = head_size * LEADING
        head_lines = [wrap(c.title, self.bold, head_size, inner[i]) for i, c in enumerate(columns)]
        head_h = max(len(h) for h in head_lines) * head_leading + 2 * CELL_PAD_Y
        regular, bold = self.regular, self.bold
        right = [c.align == "right" for c in columns]
        lefts = [x + CELL_PAD_X for x in xs]
        col_fonts = [bold if c.bold else regular for c in columns]
        bold_fonts = [bold] * len(columns)
        frame_right = self.left + self.width
        max_whole = int((TOP - BOTTOM) * 0.4 // leading)
        raise_ = size * 0.22  # from the bottom of a line's box to its baseline

        def draw_head() -> None:
            page = self.page
            page.boxes.append((self.left, self.y - head_h, self.width, head_h, HEADER_GRAY))
            for i, lines in enumerate(head_lines):
                y = self.y - CELL_PAD_Y
                for line in lines:
                    y -= head_leading
                    x = xs[i] + CELL_PAD_X
                    if right[i]:
                        x = xs[i] + widths[i] - CELL_PAD_X - text_width(line, bold, head_size)
                    page.texts.append((x, y + head_size * 0.22, bold, head_size, (line,)))
            self.y -= head_h

        self.need(head_h + leading * 2 + 2 * CELL_PAD_Y)
        # Where the heading row went, so it can be taken back if the first row moves on.
        first_head = (self.page, len(self.page.boxes), len(self.page.texts), self.y)
        draw_head()
        for n, row in enumerate(rows):
            row_fonts = bold_fonts if n in bold_rows else col_fonts
            cells = [
                wrap(value, font, size, width) if value else []
                for value, font, width in zip(row, row_fonts, inner, strict=False)
            ]
            n_lines = max(map(len, cells), default=1) or 1
            done = 0
            while done < n_lines:
                room = int((self.y - BOTTOM - 2 * CELL_PAD_Y) // leading)
                # A row is split over pages only when it is too tall to move whole (a long
                # note); short rows move to the next page so a value is never cut in two.
                if room < 1 or (done == 0 and room < n_lines and n_lines <= max_whole):
                    if n == 0 and first_head[0] is self.page:
                        # Leave no heading row alone at the foot of a page.
                        page, boxes, texts_at, self.y = first_head
                        del page.boxes[boxes:], page.texts[texts_at:]
                    self.new_page()
                    draw_head()
                    continue
                take = min(room, n_lines - done)
                h = take * leading + 2 * CELL_PAD_Y
                page = self.page
                if zebra and n % 2:
                    page.boxes.append((self.left, self.y - h, self.width, h, ZEBRA_GRAY))
                texts = page.texts
                top = self.y - CELL_PAD_Y
                whole = done == 0 and take == n_lines
                for i, lines in enumerate(cells):
                    if not whole:
                        lines = lines[done : done + take]
                    if not lines:
                        continue
                    font = row_fonts[i]
                    if not right[i]:
                        texts.append((lefts[i], top - leading + raise_, font, size, lines))
                        continue
                    y = top
                    for line in lines:
                        y -= leading
                        if line:
                            x = xs[i] + widths[i] - CELL_PAD_X - text_width(line, font, size)
                            texts.append((x, y + raise_, font, size, (line,)))
                self.y -= h
                page.rules.append((self.left, self.y, frame_right, self.y, 0.8))
                done += take
        self.y -= 6

    # Charts ------------------------------------------------------------------------------

    def bars(
        self, items: Sequence[tuple[str, float | None, str]], *, size: float = 8.0
    ) -> None:  # fmt: skip
        """Draw horizontal bars (0 to 1) with the label left and the numbers printed beside."""
        label_w = self.width * 0.34
        number_w = self.width * 0.26
        bar_w = self.width - label_w - number_w - 12
        leading = size * LEADING
        for label, value, number in items:
            lines = wrap(label, self.regular, size, label_w - 6)
            h = max(len(lines) * leading, 12.0) + 4
            self.need(h)
            top = self.y
            for line in lines:
                self.y -= leading
                self.page.texts.append(
                    (self.left, self.y + size * 0.22, self.regular, size, (line,))
                )
            bar_x = self.left + label_w
            bar_y = top - 11.5
            # The track shows the whole scale, so a short bar still reads as a share of 100%.
            self.page.boxes.append((bar_x, bar_y, bar_w, 9.0, 0.92))
            if value:
                self.page.boxes.append((bar_x, bar_y, bar_w * max(0.0, min(value, 1.0)), 9.0, 0.3))
            self.page.texts.append(
                (bar_x + bar_w + 8, bar_y + 1.8, self.regular, size, (fonts.clean(number),))
            )
            self.y = min(self.y, top - h)
        self.y -= 4

    def image(self, image: ImageReader, *, max_height: float) -> None:
        """Place an image at its aspect ratio, as large as fits the width and max_height."""
        iw, ih = image.getSize()
        room = min(max_height, self.y - BOTTOM)
        if room < 120:
            self.new_page()
            room = min(max_height, self.y - BOTTOM)
        scale = min(self.width / iw, room / ih)
        w, h = iw * scale, ih * scale
        self.y -= h
        self.page.images.append((image, self.left, self.y, w, h))
        self.y -= 6

    # Drawing -----------------------------------------------------------------------------

    def render(
        self, canvas: Canvas, *, header: Callable[[int, int], tuple[str, str]],
        footer: Sequence[str], page_label: Callable[[int, int], str],
    ) -> None:  # fmt: skip
        """Draw every page; the page count is known, so "page N of M" is exact."""
        total = len(self.pages)
        regular, bold = self.regular, self.bold
        writer = _Writer(canvas, (regular, bold))
        footer_lines = [
            line for text in footer for line in wrap(text, regular, 6.5, self.width - 70)
        ]
        gray_rules = [
            (MARGIN, PAGE_HEIGHT - 42, PAGE_WIDTH - MARGIN, PAGE_HEIGHT - 42, RULE_GRAY),
            (MARGIN, BOTTOM - 10, PAGE_WIDTH - MARGIN, BOTTOM - 10, RULE_GRAY),
        ]
        for number, page in enumerate(self.pages, start=1):
            left, right = header(number, total)
            texts: list[Text] = [(MARGIN, PAGE_HEIGHT - 36, bold, 8.0, (fonts.clean(left),))]
            if right:
                r = fonts.clean(right)
                x = PAGE_WIDTH - MARGIN - text_width(r, regular, 8.0)
                texts.append((x, PAGE_HEIGHT - 36, regular, 8.0, (r,)))
            label = fonts.clean(page_label(number, total))
            x = PAGE_WIDTH - MARGIN - text_width(label, bold, 8.0)
            texts.append((x, BOTTOM - 20, bold, 8.0, (label,)))
            texts.extend(
                (MARGIN, BOTTOM - 19 - i * 7.8, regular, 6.5, (line,))
                for i, line in enumerate(footer_lines)
            )
            texts.extend(page.texts)
            canvas.addLiteral(writer.graphics(page.boxes, [*gray_rules, *page.rules]))
            for image, x, y, w, h in page.images:
                canvas.drawImage(image, x, y, w, h)
            canvas.addLiteral(writer.text(texts))
            canvas.showPage()


def _escaped(code: int) -> str:
    """Return one byte of a PDF literal string as the content stream writes it."""
    if chr(code) in "()\\":
        return "\\" + chr(code)
    if 32 <= code < 127:
        return chr(code)
    return f"\\{code:03o}"


# Each byte 0-255 as it goes between the parentheses of a literal string: printable ASCII as
# itself (so the stream stays text, half the size of hex), the rest as octal escapes.
_ESCAPED = tuple(_escaped(code) for code in range(256))


class _LaterSubset(Exception):
    """A character was assigned to one of the font's later subsets (beyond the first 256)."""


class _Codes(dict[int, str]):
    """One font's characters in this document -> their escaped codes in its first subset.

    Filled as characters are met: ReportLab's `splitString` assigns each new character its
    code (the font state it keeps per document, used when the subsets are written), and the
    escaped code is kept here, so `str.translate` can encode a whole string in one call.
    """

    def __init__(self, font: Any, doc: Any) -> None:
        super().__init__()
        self.font, self.doc = font, doc
        # Drawn text never holds a line feed (`fonts.clean` turns them into spaces), so it can
        # join the lines of a text item: each becomes "end this string, go to the next line".
        self[ord("\n")] = ") Tj T* ("

    def __missing__(self, code: int) -> str:
        pieces = self.font.splitString(chr(code), self.doc)
        if len(pieces) != 1 or pieces[0][0] != 0:
            raise _LaterSubset
        value = self[code] = "".join(_ESCAPED[b] for b in pieces[0][1])
        return value


class _Writer:
    """Writes PDF content operators directly: the per-string work in plain f-strings.

    ReportLab's canvas calls are correct but, without its optional C accelerator, format every
    number and escape every string in Python; for tens of thousands of table cells that is
    most of the time. The font handling stays ReportLab's: each character is mapped to the
    font's subsets by `splitString` (which assigns new characters) once per document, and
    strings are then encoded with `str.translate` through those assignments.
    """

    def __init__(self, canvas: Canvas, names: Sequence[str]) -> None:
        self.doc = canvas._doc  # type: ignore[attr-defined]
        self.fonts = {name: pdfmetrics.getFont(name) for name in names}
        self.codes = {name: _Codes(font, self.doc) for name, font in self.fonts.items()}
        self.subset_names: dict[tuple[str, int], str] = {}

    def runs(self, font: str, text: str) -> list[tuple[int, str]]:
        """Return (subset, escaped literal string) pieces that draw text in the font."""
        try:
            return [(0, text.translate(self.codes[font]))]
        except _LaterSubset:
            pieces = self.fonts[font].splitString(text, self.doc)  # type: ignore[attr-defined]
            return [(subset, "".join(_ESCAPED[b] for b in chunk)) for subset, chunk in pieces]

    def subset_name(self, font: str, subset: int) -> str:
        key = (font, subset)
        name = self.subset_names.get(key)
        if name is None:
            name = self.subset_names[key] = self.fonts[font].getSubsetInternalName(subset, self.doc)  # type: ignore[attr-defined]
        return name

    def graphics(
        self, boxes: Iterable[tuple[float, float, float, float, float]],
        rules: Iterable[tuple[float, float, float, float, float]],
    ) -> str:  # fmt: skip
        """Return the operators for filled boxes and hairline rules."""
        parts = ["q"]
        gray = -1.0
        for x, y, w, h, g in boxes:
            if g != gray:
                parts.append(f"{g:.3f} g")
                gray = g
            parts.append(f"{x:.2f} {y:.2f} {w:.2f} {h:.2f} re f")
        parts.append("0.4 w")
        gray = -1.0
        for x1, y1, x2, y2, g in rules:
            if g != gray:
                parts.append(f"{g:.3f} G")
                gray = g
            parts.append(f"{x1:.2f} {y1:.2f} m {x2:.2f} {y2:.2f} l S")
        parts.append("Q")
        return "\n".join(parts)

    def text(self, texts: Iterable[Text]) -> str:
        """Return the operators that draw the text items, each line below the one before."""
        parts = ["BT 0 g"]
        current: tuple[str, int, float] | None = None
        codes = self.codes
        for x, y, font, size, lines in texts:
            table = codes[font]
            move = f"1 0 0 1 {x:.2f} {y:.2f} Tm"
            if all(lines):
                # The usual case, all the lines in one call: no blank line, first subset only.
                try:
                    shown = "\n".join(lines).translate(table)
                except _LaterSubset:
                    pass
                else:
                    if current is None or current[0] != font or current[1] or current[2] != size:
                        # Position, then font (the order ReportLab's canvas writes them in,
                        # which text extractors rely on to put a space between two runs).
                        current = (font, 0, size)
                        parts.append(move)
                        parts.append(self.select(font, 0, size))
                        parts.append(f"({shown}) Tj")
                    else:
                        parts.append(f"{move} ({shown}) Tj")
                    continue
            for line in lines:
                try:
                    shown = line.translate(table)
                except _LaterSubset:
                    # Characters beyond the first subset: one run per subset, each in its font.
                    parts.append(move)
                    for subset, piece in self.runs(font, line):
                        if (font, subset, size) != current:
                            current = (font, subset, size)
                            parts.append(self.select(font, subset, size))
                        parts.append(f"({piece}) Tj")
                    move = "T*"
                    continue
                if current is None or current[0] != font or current[1] or current[2] != size:
                    current = (font, 0, size)
                    parts.append(move)
                    parts.append(self.select(font, 0, size))
                    move = ""
                if shown:
                    parts.append(f"{move} ({shown}) Tj" if move else f"({shown}) Tj")
                elif move:
                    parts.append(move)
                move = "T*"  # the next line, one leading (TL) down
        parts.append("ET")
        return "\n".join(parts)

    def select(self, font: str, subset: int, size: float) -> str:
        """Return the operators that choose a font subset, its size and its leading."""
        return f"{self.subset_name(font, subset)} {size:g} Tf {size * LEADING:.3f} TL"
