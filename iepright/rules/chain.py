"""Tamper evidence for the daily log: a per-child SHA-256 hash chain over canonical JSON.

Each revision of a log entry is written down as a JSON object. Its hash is
SHA-256(previous hash + "\n" + canonical JSON of the revision), so changing, removing or
reordering any earlier revision changes every hash after it. Attachments enter the chain by
their own SHA-256, so a swapped photo is caught too.

Canonical JSON: keys sorted, no insignificant white space, UTF-8 (not \\u escapes), dates and
times as ISO 8601 strings. The genesis "previous hash" is 64 zeros.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


def canonical_json(payload: Mapping[str, Any]) -> str:
    """Return the one canonical JSON text of `payload`; raise TypeError on non-JSON values."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def link_hash(previous: str, payload: Mapping[str, Any]) -> str:
    """Return the hash of a revision chained to the previous revision's hash."""
    data = previous.encode("ascii") + b"\n" + canonical_json(payload).encode("utf-8")
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Link:
    """One stored revision as the verifier sees it."""

    seq: int
    payload: Mapping[str, Any]
    previous: str
    hash: str


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reason: str


def first_break(links: Iterable[Link]) -> ChainBreak | None:
    """Return the first place the chain does not hold, or None when every link checks out.

    Links must come in seq order starting at 1; a gap, a wrong previous hash or a hash that
    does not match the payload is a break.
    """
    expected_previous = GENESIS
    expected_seq = 1
    for link in links:
        if link.seq != expected_seq:
            return ChainBreak(expected_seq, f"revision {expected_seq} is missing")
        if link.previous != expected_previous:
            return ChainBreak(link.seq, "its previous hash does not match the revision before it")
        if link_hash(link.previous, link.payload) != link.hash:
            return ChainBreak(link.seq, "its content does not match its hash (altered)")
        expected_previous = link.hash
        expected_seq += 1
    return None
