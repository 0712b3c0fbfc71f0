"""Helpers for the plans pages tests: the ownership matrix."""

from __future__ import annotations

# Status codes a GET of a page that changes things gives, by persona.
WRITE_PAGE = [("owner", 200), ("editor", 200), ("viewer", 403), ("outsider", 404)]
# Status codes a successful POST gives (redirect after the change), by persona.
WRITE_POST = [("owner", 302), ("editor", 302), ("viewer", 403), ("outsider", 404)]
READ_PAGE = [("owner", 200), ("editor", 200), ("viewer", 200), ("outsider", 404)]
OWNER_PAGE = [("owner", 200), ("editor", 403), ("viewer", 403), ("outsider", 404)]
OWNER_POST = [("owner", 302), ("editor", 403), ("viewer", 403), ("outsider", 404)]
