"""The reviewer web app and the read-only API (FastAPI, server-rendered Jinja2 pages)."""
