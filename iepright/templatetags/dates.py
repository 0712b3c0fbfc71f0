"""`ldate`: the `date` filter, with the day-month order of the reader's language.

Templates are written with US formats ("M j, Y"); in Spanish the same date reads "17 nov 2026":
month and weekday names are not capitalised in Spanish, so the Spanish formats use "b" (the
lower-case abbreviated month) where the English ones use "M", which Django capitalises in every
language (tests/test_dates.py pins both).
Registered as a template builtin (settings.TEMPLATES), so no {% load %} is needed. Python code
calls `ldate(value, "M j, Y")` directly for the same result.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.translation import get_language

register = template.Library()

# English format -> the same information in Spanish order and 24-hour time.
SPANISH = {
    "M j, Y": "j b Y",
    "N j, Y": "j b Y",
    "F j, Y": r"j \d\e F \d\e Y",
    "l, F j, Y": r"l j \d\e F \d\e Y",
    "D, M j, Y": "D j b Y",
    "D, M j": "D j b",
    "M j": "j b",
    "M j, Y, g:i a": "j b Y, H:i",
    "M j, Y, g:i a T": "j b Y, H:i T",
    "M j, Y, g:i:s a T": "j b Y, H:i:s T",
    "M j, Y H:i": "j b Y H:i",
    "N j, Y, P": "j b Y, H:i",
    "M j, g:i a": "j b, H:i",
}


def format_for(fmt: str, language: str | None = None) -> str:
    """Return the date format to use for `fmt` in the language (default: the active one)."""
    language = language or get_language() or "en"
    if language.startswith("es"):
        if fmt in SPANISH:
            return SPANISH[fmt]
        if re.fullmatch(r"[A-Z_]+", fmt):  # a named format such as "DATE_FORMAT"
            return fmt
        return re.sub(r"(?<!\\)M", "b", fmt)
    return fmt


@register.filter(expects_localtime=True, is_safe=False)
def ldate(value: date | datetime | None, fmt: str) -> str:
    """Format a date like the `date` filter, in the reader's language order."""
    if value in (None, ""):
        return ""
    return str(date_filter(value, format_for(fmt)))
