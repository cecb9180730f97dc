"""The bundled content loads cleanly and covers what residents need."""
from __future__ import annotations

from collections import Counter

from portal.content.loader import load_paths
from portal.content.models import Article, Sanction, Warning
from portal.extensions import db
from tests.conftest import ROOT


def all_of(model):
    return db.session.execute(db.select(model)).scalars().all()


def test_bundled_content_loads_and_covers_the_brief(app):
    report = load_paths([ROOT / "content"])
    assert not report.updated and len(report.created) >= 64
    articles = all_of(Article)
    assert sum(a.lang == "vi" for a in articles) >= 12
    translated = [a for a in articles if a.lang == "en" and a.translation_of is not None]
    assert len(translated) >= 4
    assert any("1800 6838" in a.body for a in articles)

    warnings = all_of(Warning)
    assert len(warnings) >= 40
    assert all(w.source_reference and w.source_authority for w in warnings)
    assert len(Counter(w.category for w in warnings)) >= 6
    assert {"serious", "high", "medium", "low"} <= {w.risk_level for w in warnings}
    assert sum(bool(w.barcodes) for w in warnings) >= 5 and sum(bool(w.batches) for w in warnings) >= 5

    sanctions = all_of(Sanction)
    assert len(sanctions) >= 12 and all(s.demo for s in sanctions)
    newest = max(s.published_from for s in sanctions)
    assert any(s.published_until < newest for s in sanctions), "some results are already past their window"
    assert any(s.online for s in sanctions) and any(not s.online for s in sanctions)


def test_bundled_content_round_trips_through_dump(app, tmp_path):
    from portal.content.loader import dump_all

    load_paths([ROOT / "content"])
    dump_all(tmp_path / "dump")
    report = load_paths([tmp_path / "dump"])
    assert not report.created and not report.updated
