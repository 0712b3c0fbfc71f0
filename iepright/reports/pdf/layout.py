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
from reportlab.pdfgen.canvas import Canvas

from iepright.reports.pdf import fonts
from iepright.reports.pdf.wrapping import WordTooWide, text_width, widest_word, wrap
from iepright.reports.pdf.writer import Text, Writer

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
KEEP_TOGETHER_ROWS = 40  # a table of at most this many rows moves whole when it fits a page


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


class _CellTooNarrow(Exception):
    """A word of a table cell is wider than its column (WordTooWide, with the column)."""

    def __init__(self, column: int, width: float) -> None:
        super().__init__(column, width)
        self.column, self.width = column, width


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

    def clear(self) -> None:
        """Drop everything laid out so far and start again on a blank first page."""
        self.pages.clear()
        self.new_page()

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

    def _widths(
        self, columns: Sequence[Column], size: float, floors: dict[int, float] | None = None
    ) -> tuple[list[float], float]:  # fmt: skip
        """Return column widths from the shares and the heading's font size.

        Columns are widened so no heading word is split (nor a cell's word: `floors`, column
        index -> the width its widest word needs), taking the width from columns wider than
        they need — but never below MIN_SHARE of their own share, so a text column (the
        provision's words) is not squeezed to its heading, unless a cell's word needs it.
        Where that is not enough (longer Spanish headings), the heading font steps down, to
        70% of the body size at most.
        """
        floors = floors or {}
        total = sum(c.share for c in columns)
        widths = [self.width * c.share / total for c in columns]
        # A word that must stay whole (`floors`) may take a column below MIN_SHARE.
        for min_share in (MIN_SHARE, 0.0) if floors else (MIN_SHARE,):
            for head_size in (size, size * 0.9, size * 0.8, size * 0.7):
                need = [
                    max(
                        max(
                            text_width(fonts.clean(w), self.bold, head_size)
                            for w in c.title.split() or [""]
                        )
                        + 2 * CELL_PAD_X
                        + 0.5,
                        min_share * w,
                        floors.get(i, 0.0),
                    )
                    for i, (c, w) in enumerate(zip(columns, widths, strict=True))
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
        """Write a table; rows wrap, break across pages, and the heading row repeats.

        A cell's word wider than its column widens the column (the table is laid out again,
        which only such a word costs), as far as the other columns can give; only beyond that
        (a hash, a long file name) does it break, at a sensible point (`wrapping`). A table
        shorter than a page is kept together on one page.
        """
        rows = list(rows)
        floors: dict[int, float] = {}
        loose: set[int] = set()  # columns that cannot be widened enough: break their words
        start = (len(self.pages), self.y, [len(x) for x in self._ops(self.page)])
        while True:
            try:
                self._table(columns, rows, size, zebra, bold_rows, floors, loose)
                return
            except _CellTooNarrow as error:
                n_pages, self.y, lengths = start
                del self.pages[n_pages:]
                for ops, n in zip(self._ops(self.page), lengths, strict=True):
                    del ops[n:]
                column = error.column
                font = self.bold if columns[column].bold else self.regular
                need = max(
                    widest_word(row[column], self.bold if n in bold_rows else font, size)
                    for n, row in enumerate(rows)
                    if column < len(row) and row[column]
                )
                trial = {**floors, column: need + 2 * CELL_PAD_X + 0.5}
                widths, _size = self._widths(columns, size, trial)
                if all(widths[i] >= w - 0.01 for i, w in trial.items()):
                    floors = trial
                else:  # the other columns cannot give that much: break its long words
                    loose.add(column)

    @staticmethod
    def _ops(page: Page) -> tuple[list[Any], ...]:
        return page.boxes, page.rules, page.texts, page.images

    def _table(
        self, columns: Sequence[Column], rows: list[Sequence[str]], size: float, zebra: bool,
        bold_rows: frozenset[int], floors: dict[int, float], loose: set[int],
    ) -> None:  # fmt: skip
        widths, head_size = self._widths(columns, size, floors)
        strict = [i not in loose for i in range(len(columns))]
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

        def wrapped(row: Sequence[str], row_fonts: Sequence[str]) -> list[list[str]]:
            try:
                return [
                    wrap(value, font, size, width, whole_words=keep) if value else []
                    for value, font, width, keep in zip(row, row_fonts, inner, strict, strict=False)
                ]  # fmt: skip
            except WordTooWide as error:
                # Which column: the rare case, so found by wrapping the cells once more.
                for i, (value, font, width) in enumerate(zip(row, row_fonts, inner, strict=False)):
                    try:
                        wrap(value, font, size, width, whole_words=strict[i])
                    except WordTooWide:
                        raise _CellTooNarrow(i, error.width) from None
                raise

        if len(rows) <= KEEP_TOGETHER_ROWS:
            height = head_h + sum(
                max(map(len, wrapped(row, bold_fonts if n in bold_rows else col_fonts)), default=1)
                * leading
                + 2 * CELL_PAD_Y
                for n, row in enumerate(rows)
            )
            if height <= TOP - BOTTOM:
                self.need(height)
        self.need(head_h + leading * 2 + 2 * CELL_PAD_Y)
        # Where the heading row went, so it can be taken back if the first row moves on.
        first_head = (self.page, len(self.page.boxes), len(self.page.texts), self.y)
        draw_head()
        for n, row in enumerate(rows):
            row_fonts = bold_fonts if n in bold_rows else col_fonts
            cells = wrapped(row, row_fonts)
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
        writer = Writer(canvas, (regular, bold), leading=LEADING)
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
