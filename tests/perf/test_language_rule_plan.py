"""The one-version-per-item language rule probes each listed row through an index (SQLite plans).

Found at 100,000 items after the content-generation indexes (status, moment) arrived: without
statistics SQLite chose them for the translation probe, which then scanned most public rows per
listed row (the English home page took 256 s on 10,000 enforcement results).
"""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.content import queries
from portal.content.models import Article, Sanction, Warning, utcnow
from portal.extensions import db


@pytest.mark.parametrize("model", [Warning, Article, Sanction], ids=lambda model: model.__name__)
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_each_probe_finds_its_row_through_an_index(app, model, lang):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("reads SQLite's EXPLAIN QUERY PLAN (PostgreSQL plans from its statistics)")
    now = utcnow()
    query = queries.prefer_language(sa.select(model.id).where(queries.public_clause(model, now)), model, lang, now)
    sql = str(query.limit(20).compile(db.engine, compile_kwargs={"literal_binds": True}))
    steps = [row[3] for row in db.session.execute(sa.text("EXPLAIN QUERY PLAN " + sql))]
    probes = [step for step in steps if step.startswith((f"SEARCH {model.__tablename__}_", f"SCAN {model.__tablename__}_"))]
    assert len(probes) == 2, steps
    assert f"USING INDEX ix_{model.__tablename__}_translation_of_id_lang (translation_of_id=? AND lang=?)" in probes[0]
    assert "USING INTEGER PRIMARY KEY (rowid=?)" in probes[1]
