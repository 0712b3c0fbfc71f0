"""The report fonts: DejaVu Sans, committed beside the code (iepright/reports/fonts/).

DejaVu covers Latin (Spanish included), Greek, Cyrillic and many symbols, but not most emoji. A
character the font lacks would print as an empty box or nothing at all, so `clean` writes it by
its Unicode name ("[emoji: grinning face]") before anything is measured or drawn: what the parent
typed stays readable, and searchable in the PDF's text. No font from Debian or PyPI that
ReportLab can embed draws colour emoji, hence the name rather than a fallback font.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
REGULAR = "IEPRight-DejaVuSans"
BOLD = "IEPRight-DejaVuSans-Bold"
# Invisible joiners and variation selectors that come with emoji: drop them, do not box them.
_DROP = {0x200D, 0xFE0E, 0xFE0F, 0x20E3}
# Where phones' emoji live: the clock and media symbols, the dingbats and miscellaneous
# symbols, the stars and arrows block, and the symbol planes beyond U+FFFF.
_EMOJI_BLOCKS = (
    (0x231A, 0x231B),
    (0x23E9, 0x23FA),
    (0x2600, 0x27BF),
    (0x2B00, 0x2BFF),
    (0x10000, 0x10FFFF),
)


@cache
def register() -> tuple[str, str]:
    """Register the two fonts once per process; return their names (regular, bold)."""
    pdfmetrics.registerFont(TTFont(REGULAR, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    return REGULAR, BOLD


@cache
def _covered() -> frozenset[int]:
    """Return the code points both fonts can draw, in the Basic Multilingual Plane.

    DejaVu has a few emoji beyond U+FFFF, but ReportLab writes their text mapping (ToUnicode)
    with five hex digits, which PDF readers reject: the glyph shows but copying or searching
    the text breaks. Those characters are written by name like any other missing one.
    """
    register()
    regular = pdfmetrics.getFont(REGULAR)
    bold = pdfmetrics.getFont(BOLD)
    both = frozenset(regular.face.charToGlyph) & frozenset(bold.face.charToGlyph)  # type: ignore[attr-defined]
    return frozenset(c for c in both if c <= 0xFFFF)


@cache
def _drawable() -> frozenset[str]:
    """Return the printable characters both fonts can draw, as one-character strings."""
    return frozenset(chr(c) for c in _covered() if chr(c).isprintable())


_replacements: dict[int, str | None] = {}


def _replacement(code: int) -> str | None:
    """Return what to draw for a character the fonts lack (None: drop it)."""
    if code in _replacements:
        return _replacements[code]
    covered = _covered()
    result: str | None
    if code in _DROP or 0x1F3FB <= code <= 0x1F3FF:  # skin-tone modifiers
        result = None
    elif code in (0x09, 0x0A, 0x0D):
        result = " "
    elif unicodedata.category(chr(code)) in ("Cc", "Cf", "Zl", "Zp"):
        result = None if code != 0x2028 else " "
    else:
        # Try the compatibility form first (e.g. a full-width letter), then the name.
        folded = unicodedata.normalize("NFKC", chr(code))
        ok = folded and folded != chr(code) and all(ord(c) in covered for c in folded)
        result = folded if ok else by_name(chr(code))
    _replacements[code] = result
    return result


def by_name(ch: str) -> str:
    """Return a character the fonts lack written by name: "[emoji: grinning face]".

    Symbols beyond the Basic Multilingual Plane, and the dingbats and miscellaneous symbols
    that phones show as emoji, are called emoji; other characters keep their plain name, and
    one without a name (private use, unassigned) its code point.
    """
    code = ord(ch)
    name = unicodedata.name(ch, "").lower()
    if not name:
        return f"[U+{code:04X}]"
    if unicodedata.category(ch) == "So" and any(a <= code <= b for a, b in _EMOJI_BLOCKS):
        return f"[emoji: {name}]"
    return f"[{name}]"


def clean(text: str) -> str:
    """Return text the fonts can draw: missing characters are written by name."""
    if text.isascii() and text.isprintable():
        return text
    if _drawable().issuperset(text):
        return text
    covered = _covered()
    out = []
    for ch in text:
        code = ord(ch)
        if code in covered and ch.isprintable():
            out.append(ch)
        else:
            rep = _replacement(code)
            if rep is not None:
                out.append(rep)
    return "".join(out)


def clean_lines(text: str) -> list[str]:
    """Return the text's lines (the writer's own line breaks kept), each made drawable."""
    if "\n" not in text and "\r" not in text:
        return [clean(text)]
    return [clean(line) for line in text.splitlines()]
