"""Product codes kept by the importers (ASINs, model numbers, codes failing the GTIN check) are searchable."""
from __future__ import annotations

from portal.extensions import db
from portal.search import service
from portal.search.query import SearchRequest
from tests.factories import create, warning_data


def test_asin_and_invalid_gtin_find_the_warning_but_are_not_barcodes(app):
    warning = create(warning_data(slug="may-chieu-do-choi", product={
        "name": "Máy chiếu đồ chơi", "barcodes": ["4049077806845"], "codes": ["B0CHYPVWHV", "871565899960", "KY-055"]}))
    db.session.commit()
    service.apply_pending()
    for query in ("B0CHYPVWHV", "871565899960", "KY-055"):
        result = service.run_search(SearchRequest(q=query))
        assert [hit.slug for hit in result.hits] == ["may-chieu-do-choi"], query
    assert warning.barcodes == ["4049077806845"]
