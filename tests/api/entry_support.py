"""What the log-entry API tests share: requests and what their errors say."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from iepright.plans.models import Child, Provision
from tests.api.conftest import API


def post_raw(client: Client, child: Child, data: str, **headers: str) -> Any:
    return client.post(
        f"{API}/children/{child.public_id}/entries",
        data=data,
        content_type="application/json",
        headers=headers,
    )


def post_entry(client: Client, child: Child, body: dict[str, Any], **headers: str) -> Any:
    return post_raw(client, child, json.dumps(body), **headers)


def body(provision: Provision, day: Any = "2026-11-17", **fields: Any) -> dict[str, Any]:
    return {"provision": str(provision.public_id), "event_date": day, **fields}


def error(response: Any) -> tuple[int, str, list[str]]:
    """Return the status, the error code and the fields an error names."""
    e = response.json()["error"]
    return response.status_code, e["code"], [f["field"] for f in e["fields"]]


def message(response: Any) -> str:
    """Return the first field's message, or the error's own when it names no field."""
    fields = response.json()["error"]["fields"]
    return str(fields[0]["message"] if fields else response.json()["error"]["message"])
