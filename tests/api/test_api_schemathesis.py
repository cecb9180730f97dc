"""Schemathesis against /api/v1/openapi.json: no 500, every response as the document says."""
from __future__ import annotations

import time

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, response_schema_conformance,
                                               status_code_conformance)

from portal.search import service
from tests.factories import _when, article_data, create, sanction_data, warning_data

EXAMPLES = 50  # per operation and generation mode
SEARCH_EXAMPLES = 15  # a Whoosh search costs ~0.3 s here
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def populate() -> None:
    create(warning_data(category="food", hazards=["microbiological"], risk_level="high",
                        images=[{"src": "img/sample.png", "alt": "Ảnh sản phẩm"}],
                        change_note="Bổ sung số lô."))
    create(warning_data(status="withdrawn", withdrawn_reason="Nhà sản xuất đã khắc phục."))
    create(warning_data(published_at=_when(3)))  # scheduled
    article = create(article_data(kind="news", tags=["15-3"]))
    create(article_data(lang="en", slug="guide-en", title="A guide", translation_of=article.slug))
    create(sanction_data())
    create(sanction_data(published_at=_when(-60), published_until=_when(-30)))  # window closed
    service.apply_pending()


def test_api_matches_its_openapi_document(app, capsys):
    populate()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 10  # (issue 12 added GET /check)
    calls = {"n": 0}
    started = time.monotonic()
    for operation in operations:
        for mode in schemathesis.GenerationMode:
            if mode is schemathesis.GenerationMode.NEGATIVE and not operation.definition.raw.get("parameters"):
                continue  # nothing to get wrong
            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=SEARCH_EXAMPLES if operation.path == "/search" else EXAMPLES, deadline=None, database=None, derandomize=True,
                      phases=[Phase.explicit, Phase.generate],
                      suppress_health_check=list(HealthCheck))
            def run(case):
                calls["n"] += 1
                # The WSGI transport sends requests' "Accept-Encoding: gzip, deflate, br" but does not
                # decode; the API's compression is tested in tests/test_compression.py.
                case.call_and_validate(checks=CHECKS, headers={"Accept-Encoding": "identity"})

            run()
    with capsys.disabled():
        print(f"\nschemathesis: {len(operations)} operations, {calls['n']} calls, "
              f"{time.monotonic() - started:.1f} s")
