"""Every public list, feed and API list walks an index in its own order and stops at the page (SQLite plans).

Found at 100,000 items (bench/pages_bench.py): without statistics SQLite takes an equality on an
indexed column for about ten rows, so it chose the (status, moment) indexes of the content
generation for every public query, read all public rows in their range and sorted them in a
TEMP B-TREE — the warning feeds took 1.2 s (15× their bundled time), the API warnings list 13×.
`queries.public_clause` now reads the status through COALESCE (and, for feeds, the publication
moments), so the plan walks the list's order index or the filter's (column, order) index.

Without statistics SQLite plans the same whatever the number of rows, so the plans read here
on a few dozen items are the plans at 100,000. Each URL's statements are captured as the server
sends them; the one that fills the page (ORDER BY ... LIMIT on the content table) must name the
expected index and sort nothing.
"""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from portal.content.models import WITHDRAWN, Warning
from portal.extensions import db
from tests.databases import on_postgresql
from tests.feeds.sql_count import count_statements
from tests.perf.test_statement_counts import seed

pytestmark = pytest.mark.skipif(on_postgresql(), reason="reads SQLite's EXPLAIN QUERY PLAN")

PUBLISHED = {"warning": "ix_warning_published_at(_id)?", "article": "ix_article_published_at(_id)?",
             "sanction": "ix_sanction_decision_order"}
CHANGED = {"warning": "ix_warning_content_updated_at_id", "article": "ix_article_content_updated_at_id",
           "sanction": "ix_sanction_content_updated_at_id"}

# (url, {table: the index its page query must walk})
CASES = [
    # List pages, page 1 and a later page, in both languages, unfiltered and filtered.
    ("/canh-bao", {"warning": PUBLISHED["warning"]}),
    ("/canh-bao?page=2", {"warning": PUBLISHED["warning"]}),
    ("/en/warnings", {"warning": PUBLISHED["warning"]}),
    ("/en/warnings?page=2", {"warning": PUBLISHED["warning"]}),
    ("/canh-bao?category=toys", {"warning": "ix_warning_category_published_at_id"}),
    ("/canh-bao?category=toys&risk_level=serious",
     {"warning": "ix_warning_(category|risk_level)_published_at_id"}),
    # Either (status, published_at[, id]) index: SQLite appends the rowid (the id) to both.
    ("/canh-bao?status=withdrawn", {"warning": "ix_warning_status_published_at(_id)?"}),
    ("/huong-dan", {"article": PUBLISHED["article"]}),
    ("/en/guides", {"article": PUBLISHED["article"]}),
    ("/huong-dan?kind=news", {"article": "ix_article_kind_published_at_id"}),
    ("/xu-ly-vi-pham", {"sanction": PUBLISHED["sanction"]}),
    ("/xu-ly-vi-pham?page=2", {"sanction": PUBLISHED["sanction"]}),
    ("/xu-ly-vi-pham?online=1", {"sanction": "ix_sanction_online_order"}),
    ("/xu-ly-vi-pham?violation_kind=other", {"sanction": "ix_sanction_kind_order"}),
    # Feeds: newest change first.
    ("/feeds/warnings.atom", {"warning": CHANGED["warning"]}),
    ("/feeds/warnings.rss", {"warning": CHANGED["warning"]}),
    ("/en/feeds/warnings.atom", {"warning": CHANGED["warning"]}),
    ("/feeds/warnings.atom?category=toys", {"warning": "ix_warning_category_changed"}),
    ("/feeds/warnings.atom?risk_level=serious", {"warning": "ix_warning_risk_level_changed"}),
    ("/feeds/warnings.atom?source=domestic", {"warning": "ix_warning_source_kind_changed"}),
    ("/feeds/warnings.atom?status=withdrawn", {"warning": "ix_warning_status_changed"}),
    ("/feeds/articles.atom", {"article": CHANGED["article"]}),
    ("/feeds/articles.atom?kind=news", {"article": "ix_article_kind_changed"}),
    ("/feeds/sanctions.rss", {"sanction": CHANGED["sanction"]}),
    ("/feeds/sanctions.rss?online=1", {"sanction": "ix_sanction_online_changed"}),
    ("/feeds/sanctions.rss?violation_kind=other", {"sanction": "ix_sanction_kind_changed"}),
    ("/feeds/all.atom", CHANGED),
    ("/en/feeds/all.rss", CHANGED),
    # The API lists.
    ("/api/v1/warnings", {"warning": PUBLISHED["warning"]}),
    ("/api/v1/warnings?page=2", {"warning": PUBLISHED["warning"]}),
    ("/api/v1/warnings?lang=en", {"warning": PUBLISHED["warning"]}),
    ("/api/v1/articles", {"article": PUBLISHED["article"]}),
    ("/api/v1/sanctions", {"sanction": PUBLISHED["sanction"]}),
]


def captured(client, url: str) -> list[tuple[str, tuple]]:
    """The statements of the first request for ``url`` (a second could be a rendered-page cache hit)."""
    db.session.remove()
    with count_statements() as sent:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return sent


def seed_items() -> None:
    """Items of every type (tests.perf.test_statement_counts), a few warnings withdrawn."""
    seed(1, 46)
    db.session.execute(sa.update(Warning).where(Warning.id % 9 == 0).values(status=WITHDRAWN))
    db.session.commit()


def plan(statement: str, parameters) -> list[str]:
    return [row[-1] for row in db.session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)]


def page_queries(sent: list[tuple[str, tuple]], table: str) -> list[tuple[str, tuple]]:
    """The statements that fill a page of ``table``'s items: they select from it in an order, to a
    limit (not the content generation's one-row lookups of the newest time boundary)."""
    pattern = re.compile(rf"\bFROM {table}\b(?! AS)")
    return [(statement, parameters) for statement, parameters in sent
            if pattern.search(statement) and "ORDER BY" in statement and "LIMIT" in statement
            and "content_generation" not in statement]


@pytest.mark.parametrize("url, expected", CASES, ids=[url for url, _ in CASES])
def test_the_page_query_walks_its_order_index(app, client, url, expected):
    seed_items()
    sent = captured(client, url)
    for table, index in expected.items():
        queries = page_queries(sent, table)
        assert queries, (table, [statement for statement, _ in sent])
        for statement, parameters in queries:
            steps = plan(statement, parameters)
            outer = next(step for step in steps if step.startswith((f"SEARCH {table} ", f"SCAN {table} ")))
            assert re.search(rf"USING INDEX {index}\b", outer), steps
            assert not any("TEMP B-TREE FOR ORDER BY" in step for step in steps), steps


FEED_CASES = [(url, expected) for url, expected in CASES if "/feeds/" in url]


@pytest.mark.parametrize("url, expected", FEED_CASES, ids=[url for url, _ in FEED_CASES])
def test_a_feed_walk_starts_at_now(app, client, url, expected):
    """Changes still ahead (scheduled items, enforcement results waiting for their window) are
    above ``now`` in the change-order index: the walk seeks to ``now`` instead of reading and
    skipping each of them (25 % of the enforcement results at 100,000 items in pages_bench made
    the sanctions feed read 2,500 rows for its 50)."""
    seed_items()
    for table in expected:
        for statement, parameters in page_queries(captured(client, url), table):
            steps = plan(statement, parameters)
            outer = next(step for step in steps if step.startswith((f"SEARCH {table} ", f"SCAN {table} ")))
            assert re.search(r"\(.*content_updated_at<\?\)$", outer), steps


def test_the_api_finds_translations_by_key_not_by_status(app, client):
    """The API list's translation links are looked up by id and by translation_of_id (the API
    warnings list was 13× its bundled time while this read every public row through a status index)."""
    seed_items()
    sent = captured(client, "/api/v1/warnings")
    lookups = [(s, p) for s, p in sent if "translation_of_id IN" in s and "LIMIT" not in s]
    assert lookups, [statement for statement, _ in sent]
    for statement, parameters in lookups:
        steps = plan(statement, parameters)
        assert any("ix_warning_translation_of_id_lang" in step for step in steps), steps
        assert not any("status" in step or step.startswith("SCAN warning") for step in steps), steps


# One hazard or one tag in a feed walks the link table's (value, changed_at, key) index from now
# down (migration 0015) and probes each item by its id, as the list pages walk (value,
# published_at, key).
LINK_WALKS = [
    ("/feeds/warnings.atom?hazard=choking", "warning_hazard", "ix_warning_hazard_code_changed", "code"),
    ("/feeds/warnings.atom?tag=tre-em", "warning_tag", "ix_warning_tag_tag_changed", "tag"),
    ("/en/feeds/warnings.rss?tag=tre-em", "warning_tag", "ix_warning_tag_tag_changed", "tag"),
    ("/feeds/articles.atom?tag=khieu-nai", "article_tag", "ix_article_tag_tag_changed", "tag"),
]


@pytest.mark.parametrize("url, link, index, column", LINK_WALKS, ids=[url for url, *_ in LINK_WALKS])
def test_a_feed_of_one_hazard_or_tag_walks_its_link_in_change_order(app, client, url, link, index, column):
    seed_items()
    table = link.split("_")[0]
    sent = page_queries(captured(client, url), table)
    assert sent
    for statement, parameters in sent:
        steps = plan(statement, parameters)
        assert re.search(rf"^SEARCH {link} USING (COVERING )?INDEX {index} \({column}=\? AND changed_at<\?\)$",
                         steps[0]), steps
        assert any(re.search(rf"^SEARCH {table} USING INTEGER PRIMARY KEY", step) for step in steps), steps
        assert not any("TEMP B-TREE FOR ORDER BY" in step for step in steps), steps


# Feeds filtered by several hazards, a year or several values of one column have no index in
# change order. When many items match, the filter is checked on each row of the change-order
# walk; when few match, they are read through the filter's index and sorted (`queries.FEW`, the
# count through the filter's index that decides). Here 45 warnings all match, so a FEW of 3
# makes them "many" and the default (2000) "few".
ADAPTIVE = [
    ("/feeds/warnings.atom?hazard=choking,fire", "warning"),
    ("/feeds/warnings.atom?category=toys,food", "warning"),
    ("/feeds/warnings.atom?risk_level=serious,high", "warning"),
    ("/feeds/sanctions.rss?year=2026", "sanction"),
]


@pytest.mark.parametrize("url, table", ADAPTIVE, ids=[url for url, _ in ADAPTIVE])
def test_a_feed_filter_many_items_match_is_checked_along_the_change_order(app, client, monkeypatch, url, table):
    from portal.content import queries

    seed_items()
    monkeypatch.setattr(queries, "FEW", 3)
    for statement, parameters in page_queries(captured(client, url), table):
        steps = plan(statement, parameters)
        outer = next(step for step in steps if step.startswith((f"SEARCH {table} ", f"SCAN {table} ")))
        assert re.search(rf"USING INDEX {CHANGED[table]}\b", outer), steps
        assert not any("TEMP B-TREE FOR ORDER BY" in step for step in steps), steps


@pytest.mark.parametrize("url, table", ADAPTIVE, ids=[url for url, _ in ADAPTIVE])
def test_a_feed_filter_few_items_match_reads_them_and_sorts(app, client, url, table):
    seed_items()
    queries_sent = page_queries(captured(client, url), table)
    assert queries_sent
    for statement, parameters in queries_sent:
        steps = plan(statement, parameters)
        assert any("TEMP B-TREE FOR ORDER BY" in step for step in steps), steps
        assert not any(CHANGED[table] in step for step in steps), steps
