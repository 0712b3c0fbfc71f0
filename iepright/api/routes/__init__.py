"""The API's routers, one module per area; api.py mounts them under /api/v1/.

These modules do not use `from __future__ import annotations`: ninja reads the route
functions' annotations at import time to build its parameter models, and string
annotations would leave them undefined.
"""
