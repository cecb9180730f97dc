"""The sitemap index and its files: sitemaps.org structure, at most 50,000 URLs a file, streamed."""
from __future__ import annotations

from xml.etree import ElementTree as ET

import pytest
import sqlalchemy as sa

from portal import pagecache
from portal.content import workflow
from portal.content.models import Warning, utcnow
from portal.extensions import db
from portal.feeds import sitemap as sitemap_module
from tests.admin.helpers import make_user
from tests.factories import _when, article_data, create, sanction_data, warning_data
from tests.feeds.sql_count import count_statements
from tests.feeds.test_discovery import NS, sitemap

S = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def index_entries(client) -> dict[str, str | None]:
    root = ET.fromstring(client.get("/sitemap.xml").data)
    assert [child.tag for child in root] == [f"{S}sitemap"] * len(root)
    out = {}
    for entry in root:
        assert [child.tag for child in entry][:1] == [f"{S}loc"]
        out[entry.findtext("s:loc", namespaces=NS).removeprefix("http://localhost")] = \
            entry.findtext("s:lastmod", namespaces=NS)
    return out


def url_count(client, path: str) -> int:
    return len(ET.fromstring(client.get(path).data).findall("s:url", NS))


@pytest.fixture
def content(app):
    items = [create(warning_data()) for _ in range(5)]
    create(warning_data(published_at=_when(3)))  # scheduled: not listed
    guide = create(article_data(slug="quyen-loi"))
    create(article_data(lang="en", slug="your-rights", title="Your rights", translation_of="quyen-loi"))
    create(sanction_data())
    create(sanction_data(published_at=_when(-60), published_until=_when(-30)))  # window over
    return items, guide


def test_small_blocks_split_the_same_urls_over_several_files(app, client, content, monkeypatch):
    whole = sitemap(client)
    monkeypatch.setattr(sitemap_module, "ITEMS_PER_FILE", 2)
    pagecache.cache(app).clear()  # the rendered index is kept for this generation; the block size changed
    entries = index_entries(client)
    files = [path for path in entries if path != "/sitemaps/pages.xml"]
    assert len(files) > 3 and all(path.startswith("/sitemaps/") for path in files)
    for path in files:
        assert 1 <= url_count(client, path) <= 2 * len(("vi", "en"))
    assert sitemap(client) == whole
    assert not any("het-han" in loc for loc in whole)


def test_each_file_is_listed_with_the_newest_change_of_its_urls(client, content, monkeypatch):
    monkeypatch.setattr(sitemap_module, "ITEMS_PER_FILE", 3)
    for path, lastmod in index_entries(client).items():
        root = ET.fromstring(client.get(path).data)
        newest = max(url.findtext("s:lastmod", namespaces=NS) or "" for url in root.findall("s:url", NS))
        assert lastmod == newest, path


def test_a_block_counts_the_changes_of_translations_kept_in_other_blocks(client, content, monkeypatch):
    """One item per file: an original and its translation sit in different files, and each file's
    lastmod in the index is the newest change of its family, whichever of the two changed last
    (the index reads this with aggregates, not by grouping the table by family)."""
    create(warning_data(slug="goc-cu", published_at=_when(-20)))
    create(warning_data(slug="old-original-newer-translation", lang="en", translation_of="goc-cu",
                        published_at=_when(-0.5)))
    create(article_data(slug="goc-moi", published_at=_when(-0.2)))
    create(article_data(slug="new-original-older-translation", lang="en", translation_of="goc-moi",
                        published_at=_when(-30)))
    monkeypatch.setattr(sitemap_module, "ITEMS_PER_FILE", 1)
    entries = index_entries(client)
    files = [path for path in entries if path != "/sitemaps/pages.xml"]
    assert len(files) >= 10
    for path in files:
        root = ET.fromstring(client.get(path).data)
        newest = max(url.findtext("s:lastmod", namespaces=NS) or "" for url in root.findall("s:url", NS))
        assert entries[path] == newest, path


def test_files_are_streamed_and_an_empty_block_is_not_found(client, content):
    files = [path for path in index_entries(client) if path != "/sitemaps/pages.xml"]
    response = client.get(files[0])
    assert response.status_code == 200 and response.is_streamed
    assert b"</urlset>" in response.get_data()
    response.close()
    assert client.get("/sitemaps/warnings-999.xml").status_code == 404
    assert client.get("/sitemaps/users-0.xml").status_code == 404
    assert client.get("/sitemaps/warnings-" + "9" * 40 + ".xml").status_code == 404


def test_the_index_follows_a_publication_at_once(client, app, content, monkeypatch):
    monkeypatch.setattr(sitemap_module, "ITEMS_PER_FILE", 2)
    before = index_entries(client)
    people = {role: make_user(role) for role in ("editor", "publisher")}
    for _ in range(3):
        item = workflow.create_item(people["editor"], "warning", warning_data(published_at=None))
        db.session.commit()
        workflow.publish(people["publisher"], item, item.version)
        db.session.commit()
    after = index_entries(client)
    assert set(after) > set(before)
    assert f"http://localhost/canh-bao/{item.slug}" in sitemap(client)


def test_the_index_is_built_once_per_generation(client, content):
    client.get("/sitemap.xml")
    with count_statements() as statements:
        assert client.get("/sitemap.xml").status_code == 200
    assert len(statements) == 1  # the generation


def test_a_withdrawn_warning_stays_listed(client, app, content):
    people = {role: make_user(role) for role in ("editor", "publisher")}
    item = content[0][0]
    workflow.withdraw_warning(people["publisher"], item, "Đã khắc phục.", item.version)
    db.session.commit()
    assert f"http://localhost/canh-bao/{item.slug}" in sitemap(client)


def _warning_blocks(app) -> tuple[dict[int, object], list[tuple[str, object]]]:
    with count_statements() as sent:
        blocks = sitemap_module._own_changes(Warning, utcnow())
    return blocks, sent


def test_a_block_is_found_by_walking_the_change_order_and_empty_ranges_are_skipped(app, monkeypatch):
    """One warning per block: every public one's block is listed with its own change time, a
    draft's is not, one without a change time is listed without a time, and a run of deleted ids
    costs no statement per empty block."""
    monkeypatch.setattr(sitemap_module, "ITEMS_PER_FILE", 1)
    items = [create(warning_data(published_at=_when(-40 + n))) for n in range(30)]
    draft = create(warning_data(workflow="draft"))
    db.session.execute(sa.delete(Warning).where(Warning.id.in_([item.id for item in items[2:27]])))
    kept = [items[0], items[1], *items[27:]]
    db.session.execute(sa.update(Warning).where(Warning.id == items[1].id).values(content_updated_at=None))
    db.session.commit()
    blocks, sent = _warning_blocks(app)
    changed = dict(db.session.execute(sa.select(Warning.id, Warning.content_updated_at)).all())
    assert blocks == {item.id: changed[item.id] for item in kept}
    assert blocks[items[1].id] is None and draft.id not in blocks
    # the first id; per block holding a row (the kept ones and the draft's): the next block's first
    # id and the walk; for the two whose walk finds nothing (no time, a draft), the bounded check.
    # Nothing for the 25 emptied blocks.
    assert len(sent) == 1 + 2 * (len(kept) + 1) + 2, sent
    if db.engine.dialect.name == "sqlite":
        walks = [(statement, parameters) for statement, parameters in sent if "ORDER BY" in statement]
        for statement, parameters in walks:
            found = [row[-1] for row in db.session.connection().exec_driver_sql(
                f"EXPLAIN QUERY PLAN {statement}", parameters)]
            assert any("USING INDEX ix_warning_content_updated_at_id" in step for step in found), found
            assert not any(step.startswith(("SCAN", "USE TEMP B-TREE")) for step in found), found
