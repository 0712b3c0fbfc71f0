"""The daily-log API's answers to odd input: always a specific 4xx in the one error shape,
and nothing stored."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from iepright.accounts.models import ApiToken
from iepright.logbook import services
from iepright.logbook.models import Entry, EntryRevision, Evidence
from tests.api.conftest import API
from tests.api.entry_support import body, error, message, post_entry, post_raw
from tests.clock import NOW
from tests.images import PNG

pytestmark = pytest.mark.frozen


# 6. Reasons -------------------------------------------------------------------------------------


def test_a_reason_over_500_characters_is_refused_not_cut(api_for, owner, entry, evidence):
    client = api_for(owner)
    long = "x" * 600
    r = client.delete(f"{API}/entries/{entry.public_id}?reason={long}")
    assert error(r) == (422, "validation_error", ["reason"])
    r = client.delete(
        f"{API}/entries/{entry.public_id}",
        data=json.dumps({"reason": long}),
        content_type="application/json",
    )
    assert error(r) == (422, "validation_error", ["reason"])
    r = client.delete(f"{API}/evidence/{evidence.public_id}?reason={long}")
    assert error(r) == (422, "validation_error", ["reason"])
    assert Entry.objects.get().deleted_at is None
    assert Evidence.objects.get().removed_at is None
    assert EntryRevision.objects.count() == 2


def test_the_services_refuse_a_long_reason(owner, entry):
    with pytest.raises(ValidationError):
        services.delete_entry(entry, user=owner, reason="x" * 501)
    assert EntryRevision.objects.count() == 1


def test_a_reason_in_the_delete_body_is_kept(api_for, owner, entry, evidence):
    client = api_for(owner)
    r = client.delete(
        f"{API}/evidence/{evidence.public_id}",
        data=json.dumps({"reason": "blurry"}),
        content_type="application/json",
    )
    assert r.status_code == 204
    r = client.delete(
        f"{API}/entries/{entry.public_id}",
        data=json.dumps({"reason": "wrong day"}),
        content_type="application/json",
    )
    assert r.status_code == 200
    reasons = list(entry.revisions.order_by("number").values_list("reason", flat=True))
    assert reasons == ["", "", "blurry", "wrong day"]


def test_unknown_content_in_a_delete_body_is_a_422(api_for, owner, entry):
    r = api_for(owner).delete(
        f"{API}/entries/{entry.public_id}",
        data=json.dumps({"why": "wrong day"}),
        content_type="application/json",
    )
    assert error(r) == (422, "validation_error", ["why"])
    assert Entry.objects.get().deleted_at is None


# 7. Removing evidence ---------------------------------------------------------------------------


def test_a_second_removal_of_the_same_file_is_refused(owner, evidence):
    seen_by_both = Evidence.objects.get(pk=evidence.pk)  # each read it before the lock
    services.remove_evidence(evidence, user=owner)
    with pytest.raises(ValidationError, match="already removed"):
        services.remove_evidence(seen_by_both, user=owner)
    assert EntryRevision.objects.count() == 3  # create, add, one removal


def test_a_file_of_a_deleted_entry_cannot_be_removed(api_for, owner, entry, evidence):
    client = api_for(owner)
    assert client.delete(f"{API}/entries/{entry.public_id}").status_code == 200
    r = client.delete(f"{API}/evidence/{evidence.public_id}")
    assert r.status_code == 422
    assert "deleted" in message(r)
    assert Evidence.objects.get().removed_at is None


# 8. The client recorded -------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["made-up", "revoked"])
def test_a_session_with_a_stray_bearer_header_is_recorded_as_the_site(
    client_for, owner, entry, which
):
    token, raw = ApiToken.issue(owner, "old phone")
    if which == "revoked":
        ApiToken.objects.filter(pk=token.pk).update(revoked=NOW)
    else:
        raw = ApiToken.PREFIX + "madeup"
    client = client_for(owner)
    r = client.patch(
        f"{API}/entries/{entry.public_id}",
        data=json.dumps({"note": "hallway"}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert r.status_code == 200, r.content
    assert entry.revisions.order_by("-number").first().client == "web-api"


def test_a_token_is_recorded_by_its_name(api_for, owner, entry):
    r = api_for(owner, name="phone").patch(
        f"{API}/entries/{entry.public_id}",
        data=json.dumps({"note": "hallway"}),
        content_type="application/json",
    )
    assert r.status_code == 200
    assert entry.revisions.order_by("-number").first().client == "api:phone"


# 9. Several files in one upload -----------------------------------------------------------------


def test_two_files_in_one_upload_are_refused(api_for, owner, entry):
    files = [SimpleUploadedFile(f"{n}.png", PNG, content_type="image/png") for n in "ab"]
    r = api_for(owner).post(f"{API}/entries/{entry.public_id}/evidence", {"file": files})
    assert error(r) == (422, "validation_error", ["file"])
    assert not Evidence.objects.exists() and entry.revisions.count() == 1


# 10. Input that used to be a 500 ----------------------------------------------------------------


@pytest.mark.parametrize("field", ["note", "reported_by", "reason"])
@pytest.mark.parametrize("text", ["\\ud800", "a\\u0000b"])
def test_text_that_cannot_be_stored_is_a_422_naming_the_field(
    api_for, owner, child, provision, field, text
):
    raw = json.dumps(body(provision, status="delivered")).rstrip("}") + f', "{field}": "{text}"}}'
    r = post_raw(api_for(owner), child, raw)
    assert error(r) == (422, "validation_error", [field])
    assert not Entry.objects.exists()


@pytest.mark.parametrize("text", ["\\ud800", "a\\u0000b"])
def test_a_patch_with_text_that_cannot_be_stored_is_a_422(api_for, owner, entry, text):
    r = api_for(owner).patch(
        f"{API}/entries/{entry.public_id}",
        data='{"note": "' + text + '"}',
        content_type="application/json",
    )
    assert error(r) == (422, "validation_error", ["note"])
    assert Entry.objects.get().note == ""


def test_deeply_nested_json_is_a_400(api_for, owner, child):
    r = post_raw(api_for(owner), child, "[" * 100_000)
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "bad_request"


def test_a_huge_offset_is_a_422(api_for, owner, child):
    r = api_for(owner).get(
        f"{API}/children/{child.public_id}/entries?offset=99999999999999999999999"
    )
    assert error(r) == (422, "validation_error", ["offset"])


def test_a_file_missing_from_storage_is_a_404_saying_so(api_for, owner, evidence):
    evidence.file.storage.delete(evidence.file.name)
    r = api_for(owner).get(f"{API}/evidence/{evidence.public_id}")
    assert error(r) == (404, "not_found", [])
    assert "missing" in r.json()["error"]["message"]


@pytest.mark.parametrize(("field", "length"), [("reported_by", 201), ("note", 5001)])
def test_overlong_text_is_a_422(api_for, owner, child, provision, field, length):
    r = post_entry(
        api_for(owner), child, body(provision, status="delivered", **{field: "x" * length})
    )
    assert error(r) == (422, "validation_error", [field])
    assert not Entry.objects.exists()


def test_the_services_refuse_overlong_text(owner, entry):
    with pytest.raises(ValidationError):
        services.update_entry(entry, fields={"reported_by": "x" * 201}, user=owner)


# 11. The error shape everywhere under /api/ -----------------------------------------------------


def test_a_body_over_the_limit_is_a_413_saying_the_limit(
    settings, api_for, owner, child, provision
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    r = post_entry(api_for(owner), child, body(provision, status="delivered", note="x" * 2000))
    assert error(r) == (413, "too_large", [])
    assert "1000 bytes" in r.json()["error"]["message"]
    assert not Entry.objects.exists()


def test_a_method_a_route_does_not_take_is_a_json_405(api_for, owner, entry, child):
    r = api_for(owner).put(f"{API}/entries/{entry.public_id}", data="{}")
    assert error(r) == (405, "method_not_allowed", [])
    assert "PATCH" in r["Allow"]
    r = api_for(owner).put(f"{API}/children/{child.public_id}/entries", data="{}")
    assert error(r)[:2] == (405, "method_not_allowed")


@pytest.mark.parametrize("path", ["/entries/not-a-uuid", "/entries/{upper}", "/nowhere"])
def test_an_address_no_route_takes_is_a_json_404(api_for, owner, entry, path):
    path = path.format(upper=str(entry.public_id).upper())
    r = api_for(owner).get(API + path)
    assert error(r) == (404, "not_found", [])


# 12. Loose coercion -----------------------------------------------------------------------------


def test_true_is_not_a_number_of_minutes(api_for, owner, child, provision):
    r = post_entry(api_for(owner), child, body(provision, status="partly", minutes_delivered=True))
    assert error(r) == (422, "validation_error", ["minutes_delivered"])
    assert not Entry.objects.exists()


@pytest.mark.parametrize("day", ["2026-11-17T00:00:00", 1795132800, "20261117"])
def test_a_day_is_written_yyyy_mm_dd(api_for, owner, child, provision, day):
    r = post_entry(api_for(owner), child, body(provision, day, status="delivered"))
    assert error(r) == (422, "validation_error", ["event_date"])
    assert message(r) == "Use the format YYYY-MM-DD, such as 2026-11-28."
    assert not Entry.objects.exists()


def test_an_unknown_filter_is_a_422_naming_it(api_for, owner, child, entry):
    r = api_for(owner).get(f"{API}/children/{child.public_id}/entries?stauts=partly")
    assert error(r) == (422, "validation_error", ["stauts"])


# 13. Downloads are not cached -------------------------------------------------------------------


def test_an_evidence_download_is_not_cached(api_for, owner, evidence):
    r = api_for(owner).get(f"{API}/evidence/{evidence.public_id}")
    assert r.status_code == 200
    assert r["Cache-Control"] == "private, no-store"


def test_every_list_refuses_an_unknown_parameter(api_for, owner, child, plan):
    client = api_for(owner)
    r = client.get(f"{API}/children?househld={child.household.public_id}")
    assert error(r) == (422, "validation_error", ["househld"])
    assert "household" in message(r)
    r = client.get(f"{API}/plans/{plan.public_id}/provisions?limit=5&ofset=5")
    assert error(r) == (422, "validation_error", ["ofset"])
    assert client.get(f"{API}/children?household={child.household.public_id}").status_code == 200


def test_every_route_refuses_an_unknown_parameter(api_for, owner, child, entry):
    client = api_for(owner)
    r = client.get(f"{API}/children/{child.public_id}/findings?form=2026-09-01")
    assert error(r) == (422, "validation_error", ["form"])
    assert "from" in message(r) and "to" in message(r)
    r = client.get(f"{API}/children/{child.public_id}/school-days/2026-11-17?lang=es")
    assert error(r) == (422, "validation_error", ["lang"])
    r = client.get(f"{API}/entries/{entry.public_id}?fields=status")
    assert error(r) == (422, "validation_error", ["fields"])
    assert message(r) == "Unknown query parameter; this address takes none."
    r = client.get(f"{API}/children/{child.public_id}/findings?from=2026-09-01")
    assert r.status_code == 200


def test_an_unknown_parameter_comes_after_authentication(client, child):
    r = client.get(f"{API}/children/{child.public_id}/verify?deep=1")
    assert error(r)[0] == 401


def test_a_check_in_with_an_unknown_parameter_stores_nothing(api_for, owner, child, provision):
    r = api_for(owner).post(
        f"{API}/children/{child.public_id}/entries?dry_run=1",
        json.dumps(body(provision, "2026-11-17", status="delivered")),
        content_type="application/json",
    )
    assert error(r) == (422, "validation_error", ["dry_run"])
    assert not Entry.objects.exists()


# The API answers in the language the client asks for ---------------------------------------------


def test_errors_come_in_spanish_when_asked(api_for, owner, child, provision):
    client = api_for(owner)
    r = client.post(
        f"{API}/children/{child.public_id}/entries",
        json.dumps(body(provision, "20261117", status="delivered")),
        content_type="application/json",
        headers={"Accept-Language": "es"},
    )
    assert error(r) == (422, "validation_error", ["event_date"])
    assert r.json()["error"]["message"] == "Algunos valores no son válidos."
    assert message(r) == "Use el formato AAAA-MM-DD, por ejemplo 2026-11-28."
    r = client.get(f"{API}/no-such-route", headers={"Accept-Language": "es"})
    assert r.status_code == 404
    assert r.json()["error"]["message"].startswith("Ninguna ruta de la API")
    assert not Entry.objects.exists()
