"""PDF content operators for the layout engine's pages: boxes, rules and text, written directly."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

# Text to draw: (x, baseline of the first line, font, size, lines). The lines go down the page
# one leading apart, so a wrapped table cell is one item; an empty line is a line left blank.
Text = tuple[float, float, str, float, Sequence[str]]


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


class Writer:
    """Writes PDF content operators directly: the per-string work in plain f-strings.

    ReportLab's canvas calls are correct but, without its optional C accelerator, format every
    number and escape every string in Python; for tens of thousands of table cells that is
    most of the time. The font handling stays ReportLab's: each character is mapped to the
    font's subsets by `splitString` (which assigns new characters) once per document, and
    strings are then encoded with `str.translate` through those assignments.
    """

    def __init__(self, canvas: Canvas, names: Sequence[str], *, leading: float) -> None:
        self.leading = leading
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
        return f"{self.subset_name(font, subset)} {size:g} Tf {size * self.leading:.3f} TL"
