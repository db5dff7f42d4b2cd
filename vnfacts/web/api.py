"""The read-only JSON API (filled in by the downstream-access work; the router is mounted now)."""
from fastapi import APIRouter

router = APIRouter(prefix="/api", tags=["api"])
