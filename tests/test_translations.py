"""The Spanish catalog (iepright/locale/es): complete, placeholder-safe, compiled, and used.

Regenerate with scripts/messages.sh (makemessages with the N_ keyword, then compilemessages).
"""

from __future__ import annotations

import ast
import gettext
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import loader
from django.test import Client
from django.urls import reverse
from django.utils import translation

from iepright.accounts.models import User
from iepright.plans.models import Child, Plan, Provision, SchoolCalendar
from iepright.rules import findings
from iepright.rules.logdata import LogData, LogItem, ProvisionInfo
from iepright.uploads import EXTENSIONS, check_upload
from tests.images import PDF

LC = Path(settings.BASE_DIR) / "iepright" / "locale" / "es" / "LC_MESSAGES"
PO = LC / "django.po"
MO = LC / "django.mo"

# %(name)s / %(n)d / %(n).1f, bare %s / %d, and {name} (used by JavaScript replace()).
PLACEHOLDER = re.compile(r"%\([A-Za-z_]+\)[-+ #0]*\d*(?:\.\d+)?[sdifr]|%[sdif]|\{[A-Za-z_]+\}")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)


def parse_po(path: Path) -> list[Entry]:
    """Return the catalog's live entries (header and obsolete #~ entries left out)."""
    entries: list[Entry] = []
    cur: Entry | None = None
    key: tuple[str, int] = ("msgid", 0)
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("#~"):
            continue
        if not line.strip():
            if cur is not None and cur.msgid:
                entries.append(cur)
            cur = None
            continue
        if cur is None:
            cur = Entry()
        if line.startswith("#,"):
            cur.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        m = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")$', line)
        if m:
            key = (m.group(1), int(m.group(2) or 0))
            text = ""
            line = m.group(3)
        else:
            text = _value(key, cur)
        text += ast.literal_eval(line)
        if key[0] == "msgstr":
            cur.msgstr[key[1]] = text
        else:
            setattr(cur, key[0], text)
    return entries


def _value(key: tuple[str, int], entry: Entry) -> str:
    if key[0] == "msgstr":
        return entry.msgstr.get(key[1], "")
    return str(getattr(entry, key[0]) or "")


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    return parse_po(PO)


def test_it_has_a_spanish_catalog_with_two_plural_forms() -> None:
    header = PO.read_text(encoding="utf-8").split("\n\n", 1)[0]
    assert '"Language: es\\n"' in header
    assert "nplurals=2; plural=(n != 1);" in header


def test_it_translates_every_entry(entries: list[Entry]) -> None:
    assert len(entries) > 900
    untranslated = [e.msgid for e in entries if not all(e.msgstr.values()) or not e.msgstr]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    plural_gaps = [e.msgid for e in entries if e.msgid_plural and sorted(e.msgstr) != [0, 1]]
    assert untranslated == []
    assert fuzzy == []
    assert plural_gaps == []


def test_it_keeps_every_placeholder(entries: list[Entry]) -> None:
    wrong = []
    for e in entries:
        for n, text in e.msgstr.items():
            source = e.msgid_plural if (e.msgid_plural and n > 0) else e.msgid
            if placeholders(text) != placeholders(source):
                # A singular form may drop the count ("one provision") but never add one.
                singular_ok = (
                    e.msgid_plural is not None
                    and n == 0
                    and set(placeholders(text)) <= set(placeholders(source))
                )
                if not singular_ok:
                    wrong.append((e.msgid, text))
    assert wrong == []


def test_it_keeps_html_tags(entries: list[Entry]) -> None:
    tags = re.compile(r"</?[a-z]+[^>]*>").findall
    wrong = [e.msgid for e in entries for s in e.msgstr.values() if tags(s) != tags(e.msgid)]
    assert wrong == []


def test_it_never_says_owed(entries: list[Entry]) -> None:
    owed = re.compile(r"adeud|debid[oa]s? a|se le debe", re.IGNORECASE)
    assert [s for e in entries for s in e.msgstr.values() if owed.search(s)] == []


def test_it_ships_a_compiled_catalog_matching_the_po(entries: list[Entry]) -> None:
    with MO.open("rb") as fh:
        mo = gettext.GNUTranslations(fh)
    assert mo.gettext("Not delivered") == "No entregado"
    assert mo.gettext("Recorded late") == "Registrado tarde"
    assert mo.ngettext("%(n)s attachment", "%(n)s attachments", 3) == "%(n)s archivos adjuntos"
    # Every translated entry of the .po is in the .mo (plus the header): none missing, none stale.
    catalog = mo._catalog  # type: ignore[attr-defined]
    singular = {k for k in catalog if isinstance(k, str) and k}
    plural = {k[0] for k in catalog if isinstance(k, tuple)}
    expected = {(f"{e.msgctxt}\x04{e.msgid}" if e.msgctxt else e.msgid) for e in entries}
    assert singular | plural == expected
    for e in entries:
        if e.msgid_plural is None and e.msgctxt is None:
            assert mo.gettext(e.msgid) == e.msgstr[0], e.msgid


@pytest.fixture
def spanish(client_for: Callable[[User | None], Client], owner: User) -> Client:
    c = client_for(owner)
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    return c


def page(c: Client, url: str, **params: str) -> str:
    response = c.get(url, params)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "es"
    return response.content.decode()


def test_it_shows_the_dashboard_in_spanish(spanish: Client, child: Child) -> None:
    html = page(spanish, reverse("dashboard"))
    assert "Sus hijos" in html
    assert "Registrar el día de Maya Alvarez" in html
    assert "Cerrar sesión" in html
    for english in ("Your children", "Check in for", "Log out", "Household settings"):
        assert english not in html


def test_it_shows_the_child_page_in_spanish(spanish: Client, plan: Plan, child: Child) -> None:
    html = page(spanish, reverse("child_detail", args=[child.public_id]))
    assert "Registro de hoy" in html
    assert "Calendario escolar" in html
    assert "IEP y planes 504" in html
    for english in ("Today's check-in", "School calendar", "Change details", "Findings and"):
        assert english not in html


def test_it_shows_the_plan_page_in_spanish_but_not_the_iep_text(
    spanish: Client, plan: Plan
) -> None:
    html = page(spanish, reverse("plan_detail", args=[plan.public_id]))
    assert "Servicio relacionado" in html
    assert "Adaptación para exámenes" in html
    assert "2 × 30 min por semana" in html
    assert "Agregar un apoyo" in html
    # The IEP's own words are the parent's data: never translated.
    assert "Speech-language therapy" in html
    for english in ("Related service", "Add a provision", "How often:", "Services grid"):
        assert english not in html


def test_it_shows_the_checkin_page_in_spanish(spanish: Client, plan: Plan, child: Child) -> None:
    html = page(spanish, reverse("checkin", args=[child.public_id]), date="2026-11-17")
    assert "Registro del día: Maya Alvarez" in html
    assert "Entregado" in html
    assert "No entregado" in html
    assert "Sin oportunidad" in html
    assert "Sin marcar:" in html and "no hay días habituales en el plan" in html
    for english in ("Check-in:", "Not delivered", "No opportunity", "Not marked", "Whole day"):
        assert english not in html


def test_it_says_in_spanish_what_the_whole_day_button_marks(
    spanish: Client, plan: Plan, child: Child
) -> None:
    for n in range(2):
        Provision.objects.create(plan=plan, position=5 + n, category="accommodation", text=f"A{n}")
    html = page(spanish, reverse("checkin", args=[child.public_id]), date="2026-11-17")
    assert "Marcar 2 como entregados" in html
    assert "Sin marcar:" in html and "(no hay días habituales en el plan)" in html
    assert "Mark 2 delivered" not in html and "not a usual day" not in html


def test_it_writes_findings_in_spanish() -> None:
    days = (date(2026, 11, 16), date(2026, 11, 17), date(2026, 11, 18))
    speech = ProvisionInfo(
        "sp", "Speech therapy", "related_service", "week", 2, 30, date(2026, 9, 1), days[-1]
    )
    data = LogData(
        provisions=(speech,),
        items=tuple(LogItem("sp", d, "not_delivered") for d in days),
        school_days=days,
    )
    with translation.override("es"):
        found = findings.analyse(data, days[0], days[-1], translate=translation.gettext)
    summary = next(x for x in found if x.kind == "summary")
    assert summary.text.startswith("Speech therapy se entregó completo en 0 de 3 días")
    assert "registrados con oportunidad" in summary.text
    assert "delivered" not in summary.text


# The catalog holds every marked string -----------------------------------------------------

GETTEXT_TOOLS = ("xgettext", "msgmerge", "msguniq", "msgfmt")


def catalog_keys(path: Path) -> set[str]:
    return {(f"{e.msgctxt}\x04{e.msgid}" if e.msgctxt else e.msgid) for e in parse_po(path)}


def test_the_catalog_has_exactly_the_strings_the_code_marks(tmp_path: Path) -> None:
    """Run scripts/messages.sh on a copy of the project and compare its msgids with ours.

    A string marked in code or a template but missing from the committed .po (or an entry whose
    string is gone) fails here: run scripts/messages.sh, translate, and commit the result.
    """
    missing = [tool for tool in GETTEXT_TOOLS if shutil.which(tool) is None]
    if missing:
        reason = f"GNU gettext is not installed ({', '.join(missing)} missing)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must install it (apt-get install gettext)")
        pytest.skip(reason)
    base = Path(settings.BASE_DIR)
    copy = tmp_path / "project"
    copy.mkdir()
    shutil.copy2(base / "manage.py", copy / "manage.py")
    shutil.copytree(base / "scripts", copy / "scripts")
    shutil.copytree(
        base / "iepright",
        copy / "iepright",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "node_modules"),
    )
    env = {
        **os.environ,
        "PYTHON": sys.executable,
        "DJANGO_SETTINGS_MODULE": "iepright.settings",
        "DEBUG": "1",
    }
    env.pop("PYTHONPATH", None)
    run = subprocess.run(
        ["sh", "scripts/messages.sh"], cwd=copy, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    regenerated = catalog_keys(copy / "iepright" / "locale" / "es" / "LC_MESSAGES" / "django.po")
    committed = catalog_keys(PO)
    assert sorted(regenerated - committed) == [], "marked in code, missing from the .po"
    assert sorted(committed - regenerated) == [], "in the .po, no longer marked in code"


# Errors reach Spanish readers in Spanish ---------------------------------------------------


def test_it_explains_a_bad_calendar_file_in_spanish(
    spanish: Client, calendar: SchoolCalendar
) -> None:
    bad = (
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Fall Break\r\n"
        b"DTSTART;VALUE=DATE:20261012\r\nDTEND;VALUE=DATE:20261010\r\nEND:VEVENT\r\n"
        b"END:VCALENDAR\r\n"
    )
    upload = SimpleUploadedFile("district.ics", bad, content_type="text/calendar")
    r = spanish.post(reverse("calendar_import", args=[calendar.public_id]), {"file": upload})
    assert r.status_code == 200
    html = r.content.decode()
    assert "El evento «Fall Break» termina (10 oct 2026) antes de empezar (12 oct 2026)." in html
    for english in ("The event", "before it starts", "2026-10-10"):
        assert english not in html


def test_it_explains_a_bad_upload_in_spanish(spanish: Client, plan: Plan) -> None:
    fake = SimpleUploadedFile("iep.pdf", b"MZ\x90\x00 a program" + b"\x00" * 100)
    r = spanish.post(reverse("plan_document", args=[plan.public_id]), {"document": fake})
    assert r.status_code == 200
    assert "Este archivo no es de un tipo aceptado (PDF)." in r.content.decode()
    assert "not an accepted type" not in r.content.decode()
    cut = SimpleUploadedFile("iep.pdf", PDF[:-300])
    r = spanish.post(reverse("plan_document", args=[plan.public_id]), {"document": cut})
    assert (
        "Este archivo empieza como un archivo de tipo PDF, pero está dañado" in r.content.decode()
    )


def test_it_names_every_accepted_file_kind_in_spanish(db: None) -> None:
    upload = SimpleUploadedFile("notes.txt", b"just some text")
    with translation.override("es"), pytest.raises(ValidationError) as caught:
        check_upload(upload, allowed=set(EXTENSIONS), field="file")
    message = caught.value.message_dict["file"][0]
    assert message == (
        "Este archivo no es de un tipo aceptado (foto HEIC (iPhone), imagen GIF, imagen JPEG, "
        "imagen PNG, imagen WebP, PDF)."
    )
    assert "/" not in message  # no MIME type such as image/gif


def test_it_shows_the_month_grid_cell_labels_in_spanish() -> None:
    with translation.override("es"):
        assert translation.gettext("not logged") == "sin anotar"
        assert translation.gettext("not yet") == "todavía no"
        assert translation.gettext("not in effect") == "no vigente"


def test_it_names_states_in_the_readers_language(spanish: Client, child: Child) -> None:
    child.state = "NY"
    child.save()
    html = page(spanish, reverse("child_detail", args=[child.public_id]))
    assert "Nueva York (NY)" in html


def test_the_server_error_page_is_bilingual_without_a_request() -> None:
    html = loader.get_template("500.html").render()
    assert '<section lang="en"><h1>Something went wrong</h1>' in html
    assert '<section lang="es"><h1>Algo salió mal</h1>' in html
