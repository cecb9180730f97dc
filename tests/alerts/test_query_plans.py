"""A subscription's new items come from an indexed range on publication time (SQLite plans),
never a scan of the table: the cost follows the new items, not the 100,000 old ones."""
from __future__ import annotations

from datetime import timedelta

import re

import pytest
import sqlalchemy as sa

from portal.alerts import selection
from portal.alerts.models import AlertSubscription
from portal.content.models import utcnow
from portal.extensions import db


@pytest.mark.parametrize("list_kind, params, lang", [
    ("warnings", {}, "vi"),
    ("warnings", {}, "en"),
    ("warnings", {"category": ["toys"]}, "vi"),
    ("warnings", {"risk_level": ["serious"], "hazard": ["fire"]}, "vi"),
    ("sanctions", {}, "vi"),
    ("sanctions", {"online": ["1"]}, "en"),
])
def test_new_items_are_found_through_an_index(app, list_kind, params, lang):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("reads SQLite's EXPLAIN QUERY PLAN (PostgreSQL plans from its statistics)")
    now = utcnow()
    subscription = AlertSubscription(id=1, list_kind=list_kind, params=params, lang=lang)
    queries = selection.list_queries(subscription, now - timedelta(hours=1), now, 20)
    table = "warning" if list_kind == "warnings" else "sanction"
    assert len(queries) == (2 if table == "sanction" else 1)
    for query in queries:
        sql = str(query.compile(db.engine, compile_kwargs={"literal_binds": True}))
        steps = [row[3] for row in db.session.execute(sa.text("EXPLAIN QUERY PLAN " + sql))]
        [main] = [step for step in steps if step.startswith((f"SEARCH {table} ", f"SCAN {table}"))]
        # A range with both ends: from the window's start to now.
        assert main.startswith(f"SEARCH {table} USING INDEX "), steps
        assert re.search(r"published_(at|from)>\? AND published_(at|from)<\?", main), steps
        [ledger] = [step for step in steps if "alert_sent" in step]
        assert "(subscription_id=? AND item_type=? AND item_root=?)" in ledger, steps
