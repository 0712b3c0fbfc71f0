"""Idempotency keys: what a recorded request asked for, so a retry is told from a new request.

Every key that created or changed an entry is kept on the revision it made, with a fingerprint
of the request (services.record_entry). A request that comes again with the same key and the
same fingerprint is a retry (answered with the entry as it is now); the same key with another
fingerprint is a different request (a 409 in the API).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from datetime import date
from typing import Any

from iepright.correspondence.models import Contact
from iepright.rules import chain

OPTIONAL_EMPTY = ("source", "reported_by", "reported_contact", "note")


def fingerprint(provision: uuid.UUID, day: date, fields: Mapping[str, Any]) -> str:
    """Return a hash of what a request asked for (`provision` by its public id), kept with the
    idempotency key so that a retry can be told from a different request under the same key."""
    # An empty text or no contact, sent as null or "", asks for the same as leaving it out
    # (the client's JSON encoder decides which): the same fingerprint, so no false 409.
    return _digest(provision, day, fields, drop_empty=True)


def same_request(stored: str, provision: uuid.UUID, day: date, fields: Mapping[str, Any]) -> bool:
    """Return whether `stored` is the fingerprint of a request asking for this.

    Keys kept by earlier versions were hashed with empty optional fields as sent; a
    retry of such a request still matches, instead of being taken for different content.
    """
    return stored == fingerprint(provision, day, fields) or stored == _digest(
        provision, day, fields, drop_empty=False
    )


def _digest(provision: uuid.UUID, day: date, fields: Mapping[str, Any], *, drop_empty: bool) -> str:
    data = {
        key: (str(value.public_id) if isinstance(value, Contact) else value)
        for key, value in fields.items()
        if not (drop_empty and key in OPTIONAL_EMPTY and value in (None, ""))
    }
    payload = {"provision": str(provision), "day": day.isoformat(), "fields": data}
    return hashlib.sha256(chain.canonical_json(payload).encode()).hexdigest()
