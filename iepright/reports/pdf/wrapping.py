"""Text measured with the fonts' own widths and wrapped to a width, for the layout engine.

Words break only between words; a token too long for its line (a file name, a hash, a web
address) breaks after a separator or every few hex digits, never in the middle of a word.
"""

from __future__ import annotations

from reportlab.pdfbase import pdfmetrics

from iepright.reports.pdf import fonts

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


# A long token breaks after one of these (a path, a file name, a date, a list)...
BREAK_AFTER = frozenset("/_-.,;:=&?\\|+)]}")
# ...or, in a run of hex digits (a SHA-256), every HEX_GROUP characters.
HEX_GROUP = 8
# A token with break points but at most this long (a date, "P12", "10:30") is kept whole.
SHORT_TOKEN = 16
_HEX = frozenset("0123456789abcdefABCDEF")


def _segments(word: str) -> list[str]:
    """Return the word cut at its sensible break points (nothing else is ever cut).

    After a separator, and every HEX_GROUP characters of a run of at least 16 hex digits. A
    prose word has neither, so it stays one segment.
    """
    segments: list[str] = []
    cur = ""
    hex_run = 0
    long_hex = _long_hex_runs(word)
    for i, ch in enumerate(word):
        cur += ch
        hex_run = hex_run + 1 if ch in _HEX else 0
        if ch in BREAK_AFTER or (i in long_hex and hex_run % HEX_GROUP == 0):
            segments.append(cur)
            cur = ""
    if cur:
        segments.append(cur)
    return segments


def _long_hex_runs(word: str) -> frozenset[int]:
    """Return the positions of characters in runs of 16 or more hex digits."""
    inside: list[int] = []
    start = None
    for i, ch in enumerate([*word, " "]):
        if ch in _HEX:
            if start is None:
                start = i
        elif start is not None:
            if i - start >= 16:
                inside.extend(range(start, i))
            start = None
    return frozenset(inside)


class WordTooWide(Exception):
    """A word (or a segment of a long token) is wider than the line it must fit."""

    def __init__(self, width: float) -> None:
        super().__init__(f"a word {width:.1f} pt wide does not fit")
        self.width = width


def _break_word(word: str, font: str, size: float, width: float) -> list[str]:
    """Return pieces of a word too long for the line, broken only at sensible points.

    Segments (see `_segments`) are packed greedily; only a segment wider than the whole line
    (a prose word longer than the line) is cut where the line ends.
    """
    pieces, cur, cur_w = [], "", 0.0
    for segment in _segments(word):
        w = text_width(segment, font, size)
        if w > width:
            if cur:
                pieces.append(cur)
            *cut, cur = _cut(segment, font, size, width)
            pieces.extend(cut)
            cur_w = text_width(cur, font, size)
            continue
        if cur and cur_w + w > width:
            pieces.append(cur)
            cur, cur_w = "", 0.0
        cur += segment
        cur_w += w
    pieces.append(cur)
    return pieces


def _cut(segment: str, font: str, size: float, width: float) -> list[str]:
    """Return a segment cut into pieces that fit the width, wherever its characters fall."""
    pieces, cur, cur_w = [], "", 0.0
    for ch in segment:
        w = text_width(ch, font, size)
        if cur and cur_w + w > width:
            pieces.append(cur)
            cur, cur_w = "", 0.0
        cur += ch
        cur_w += w
    pieces.append(cur)
    return pieces


def keep_whole(word: str) -> bool:
    """Return True for a word never to break: a prose word, or a short token (a date)."""
    return len(word) <= SHORT_TOKEN or len(_segments(word)) == 1


def widest_word(text: str, font: str, size: float) -> float:
    """Return the width in points the text needs so that no word breaks but long tokens."""
    table = _width_table(font)
    widest = 0.0
    for word in fonts.clean(text).split():
        parts = [word] if keep_whole(word) else _segments(word)
        widest = max(widest, *(_measure(table, part, font) for part in parts))
    return widest * size


_wrapped: dict[tuple[str, str, float, float, bool], list[str]] = {}


def wrap(
    text: str, font: str, size: float, width: float, *, whole_words: bool = False
) -> list[str]:  # fmt: skip
    """Return the lines of text wrapped to width (points); line breaks in text are kept.

    With `whole_words`, a word wider than the width that must stay whole (`keep_whole`)
    raises WordTooWide (a table then widens the column); other long words break at sensible
    points. Short
    texts (dates, statuses, provision names) repeat down a table, so their lines are cached;
    long ones (notes) are nearly always unique and are not.
    """
    if len(text) > 60:
        return _wrap(text, font, size, width, whole_words)
    key = (text, font, size, width, whole_words)
    lines = _wrapped.get(key)
    if lines is None:
        lines = _wrap(text, font, size, width, whole_words)
        if len(_wrapped) < 50_000:
            _wrapped[key] = lines
    return lines


def _wrap(text: str, font: str, size: float, width: float, whole_words: bool) -> list[str]:
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
                if whole_words and keep_whole(word):
                    raise WordTooWide(w)
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
