"""The ASGI app for `uvicorn api.main:app` (used for several worker processes).
HAZARDKB_ROOT may name another knowledge folder."""
import os

from .app import create_app

app = create_app(os.environ.get("HAZARDKB_ROOT") or None)
