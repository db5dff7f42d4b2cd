"""A property-based run over the API's OpenAPI schema: schemathesis turns every operation into a
hypothesis strategy of requests, and none of them may get a 5xx."""
from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from run.ingest import ingest_source
from pipeline.sources import SourceConfig
from store import db

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def operations(tmp_path_factory):
    from web.app import create_app

    url = f"sqlite:///{tmp_path_factory.mktemp('schema') / 'facts.db'}"
    db.upgrade(url)
    ingest_source(SourceConfig(key="seeds", kind="files", location=str(ROOT / "corpus" / "seeds")), url)
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", create_app(url))
    return {op.ok().label: op.ok() for op in schema.get_all_operations()}


def test_the_schema_documents_every_api_operation(operations):
    assert set(operations) == {"GET /api/facts", "GET /api/facts/{fact_id}", "GET /api/officials", "GET /api/concepts",
                               "GET /api/articles", "GET /api/observations", "GET /api/observations/{observation_id}"}


@pytest.mark.parametrize("label", ["GET /api/facts", "GET /api/facts/{fact_id}", "GET /api/officials", "GET /api/concepts",
                                   "GET /api/articles", "GET /api/observations", "GET /api/observations/{observation_id}"])
def test_no_generated_request_gets_a_server_error(operations, label):
    strategy = operations[label].as_strategy()

    @settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def run(data):
        case = data.draw(strategy)
        case.call_and_validate(checks=[schemathesis.checks.not_a_server_error])

    run()
