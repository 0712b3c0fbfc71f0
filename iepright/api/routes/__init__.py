"""The API's routers, one module per area; api.py mounts them under /api/v1/."""
