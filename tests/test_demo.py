"""The demo tells the truth about itself: its notes and its photos.

tests/test_operations.py checks that `manage.py demo` loads the household once.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from PIL import Image

from iepright.demo import photos
from iepright.demo.load import load_sample
from iepright.demo.log import PHOTO_KINDS, demo_notes
from iepright.logbook.models import Entry, Evidence
from iepright.logbook.verify import verify_child
from iepright.plans.models import Child
from tests.clock import DEMO_EVENING


@pytest.mark.frozen(DEMO_EVENING)
def test_every_note_is_one_written_for_its_provision(db, media):
    call_command("demo", stdout=io.StringIO())
    notes = demo_notes()
    noted = Entry.objects.exclude(note="").select_related("provision")
    assert noted.count() > 10
    for entry in noted:
        situation = entry.circumstances[0] if entry.circumstances else entry.status
        assert entry.note in notes[entry.provision.text][situation], (entry.provision.text, entry)
    written = {entry.note for entry in noted}
    assert any("¿" in n or "ó" in n for n in written)  # Rosa writes some in Spanish
    assert any("the" in n.split() for n in written)


def test_the_notes_are_for_the_sample_plans_provisions():
    texts = {p["text"] for p in load_sample()["plan"]["provisions"]}
    notes = demo_notes()
    assert set(notes) == texts
    situations = {"delivered", "substitute_teacher", "provider_absent", "assembly"}
    for text, by_situation in notes.items():
        assert set(by_situation) <= situations | {"schedule_change"}, text
        assert all(by_situation.values()), text


@pytest.mark.frozen(DEMO_EVENING)
def test_its_photos_show_school_work_that_fits_the_provision(db, media):
    call_command("demo", stdout=io.StringIO())
    evidence = Evidence.objects.select_related("entry__provision")
    assert evidence.count() >= 3
    for item in evidence:
        assert item.entry.status == "not_delivered"
        assert any(item.entry.provision.text.startswith(start) for start in PHOTO_KINDS)
        assert item.content_type == "image/jpeg" and item.original_name.endswith(".jpg")
        with item.file.open("rb") as f, Image.open(f) as image:
            assert image.format == "JPEG" and image.size == (photos.WIDTH, photos.HEIGHT)
    assert len({item.sha256 for item in evidence}) == evidence.count()  # no two alike
    result = verify_child(Child.objects.get(name="Maya Alvarez"), check_files=True)
    assert result.ok, result.reason


@pytest.mark.parametrize("kind", sorted(photos.KINDS))
def test_a_photo_is_a_jpeg_drawn_the_same_from_the_same_seed(kind):
    picture = photos.photo(kind, 7)
    assert picture == photos.photo(kind, 7)
    assert picture != photos.photo(kind, 8)
    with Image.open(io.BytesIO(picture)) as image:
        assert image.format == "JPEG"
        # A photo, not a flat card: the sheet's white and the desk's brown are both there.
        small = image.convert("RGB").resize((48, 64))
        colours = [small.getpixel((x, y)) for x in range(48) for y in range(64)]
        assert any(isinstance(c, tuple) and min(c) > 200 for c in colours)
        assert any(isinstance(c, tuple) and c[0] > c[1] + 25 > c[2] + 25 for c in colours)
