"""Dependencies shared by the pages and the API routers."""
from __future__ import annotations

from fastapi import Request

from store import db


def get_db(request: Request):
    """A database session for one request, on the URL the app was created with."""
    with db.session(request.app.state.database_url) as session:
        yield session
