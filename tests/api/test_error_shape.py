"""The one error body, pinned key by key for every kind of error the API gives."""

from __future__ import annotations

from iepright.plans.models import Child
from tests.api.conftest import send


def test_it_answers_401_in_the_error_shape(api_for, child):
    r = send(api_for(None), "get", f"/children/{child.public_id}")
    assert r.status_code == 401
    assert r.json() == {
        "error": {
            "status": 401,
            "code": "unauthenticated",
            "message": "Log in, or send a valid API token.",
            "fields": [],
        }
    }


def test_it_answers_403_in_the_error_shape(api_for, viewer, child):
    r = send(api_for(viewer), "patch", f"/children/{child.public_id}", {"grade": "5"})
    assert r.status_code == 403
    assert r.json() == {
        "error": {
            "status": 403,
            "code": "forbidden",
            "message": "Your role in this household can read but not change records.",
            "fields": [],
        }
    }


def test_it_answers_404_in_the_error_shape(api_for, outsider, child):
    r = send(api_for(outsider), "get", f"/children/{child.public_id}")
    assert r.status_code == 404
    assert r.json() == {
        "error": {"status": 404, "code": "not_found", "message": "Not found.", "fields": []}
    }


def test_it_names_the_field_of_a_schema_error(api_for, owner, child):
    r = send(
        api_for(owner),
        "post",
        f"/children/{child.public_id}/plans",
        {"start_date": "not a date", "end_date": "2027-09-14"},
    )
    assert r.status_code == 422
    body = r.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "code", "message", "fields"}
    assert body["error"]["status"] == 422
    assert body["error"]["code"] == "validation_error"
    assert body["error"]["message"] == "Some values are not valid."
    assert [f["field"] for f in body["error"]["fields"]] == ["start_date"]
    assert set(body["error"]["fields"][0]) == {"field", "message"}
    assert "date" in body["error"]["fields"][0]["message"]
    assert not child.plans.exists()


def test_it_names_the_field_of_a_model_error(api_for, owner, child):
    r = send(
        api_for(owner),
        "post",
        f"/children/{child.public_id}/plans",
        {"start_date": "2027-09-15", "end_date": "2027-09-01"},
    )
    assert r.status_code == 422
    assert r.json() == {
        "error": {
            "status": 422,
            "code": "validation_error",
            "message": "Some values are not valid.",
            "fields": [{"field": "end_date", "message": "The end date is before the start date."}],
        }
    }
    assert not child.plans.exists()


def test_it_names_an_unknown_key(api_for, owner, child):
    r = send(api_for(owner), "patch", f"/children/{child.public_id}", {"grde": "5"})
    assert r.status_code == 422
    assert [f["field"] for f in r.json()["error"]["fields"]] == ["grde"]


def test_it_answers_a_body_that_is_not_json_in_the_error_shape(api_for, owner, child):
    r = api_for(owner).patch(
        f"/api/v1/children/{child.public_id}", data="{not json", content_type="application/json"
    )
    assert r.status_code in (400, 422)
    error = r.json()["error"]
    assert set(error) == {"status", "code", "message", "fields"}
    assert error["status"] == r.status_code
    assert Child.objects.get(pk=child.pk).grade == "4"


def test_it_answers_a_missing_upload_naming_the_field(api_for, owner, calendar):
    r = api_for(owner).post(f"/api/v1/calendars/{calendar.public_id}/import", {})
    assert r.status_code == 422
    assert [f["field"] for f in r.json()["error"]["fields"]] == ["file"]
