from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation


@pytest.mark.parametrize(
    ("language", "fmt", "expected"),
    [
        ("en", "M j, Y", "Nov 17, 2026"),
        ("es", "M j, Y", "17 nov 2026"),
        ("es", "D, M j", "mar 17 nov"),
        ("es", "M Y", "nov 2026"),
        ("es", "DATE_FORMAT", "17 de noviembre de 2026"),
        ("en", "l, F j, Y", "Tuesday, November 17, 2026"),
        ("es", "l, F j, Y", "martes 17 de noviembre de 2026"),
        ("es", "F Y", "noviembre 2026"),
    ],
)
def test_dates_read_in_the_order_of_the_language(language, fmt, expected):
    with translation.override(language):
        out = Template('{{ d|ldate:"' + fmt + '" }}').render(Context({"d": date(2026, 11, 17)}))
    assert out == expected


def test_times_are_shown_in_the_current_time_zone():
    moment = datetime(2026, 11, 17, 21, 5, tzinfo=ZoneInfo("UTC"))
    template = Template(
        '{% load tz %}{% timezone "America/Chicago" %}'
        '{{ m|ldate:"M j, Y, g:i a" }}{% endtimezone %}'
    )
    with translation.override("es"):
        assert template.render(Context({"m": moment})) == "17 nov 2026, 15:05"
