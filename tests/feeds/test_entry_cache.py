"""Feed entries kept written per process (``entries.EntryCache``): same bytes, never stale."""
from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from portal import create_app
from portal.content.models import Sanction, Warning
from portal.extensions import db
from portal.feeds import entries
from tests.conftest import app_config
from tests.factories import article_data, create, sanction_data, warning_data

URLS = [f"{prefix}/feeds/{kind}.{fmt}" for prefix in ("", "/en") for kind in ("warnings", "sanctions", "all")
        for fmt in ("atom", "rss")]


@pytest.fixture
def app(tmp_path, database):
    """Rendered pages not kept (a raw UPDATE below does not move the content generation)."""
    app = create_app(app_config(tmp_path, database, PAGE_CACHE_ENTRIES=0))
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()  # its own pool: closed here, not left to the garbage collector


@pytest.fixture
def content(app):
    items = {
        "toy": create(warning_data(category="toys", images=[{"src": "img/do-choi.jpg", "alt": "Ảnh đồ chơi"}])),
        "withdrawn": create(warning_data(status="withdrawn", withdrawn_reason="Kết quả kiểm nghiệm lại đạt yêu cầu.")),
        "guide": create(article_data()),
        "sanction": create(sanction_data(online=True)),
    }
    items.update({f"more{n}": create(warning_data(category="food")) for n in range(4)})
    db.session.commit()
    return items


def _body(client, url: str, **kwargs) -> bytes:
    response = client.get(url, **kwargs)
    assert response.status_code == 200, (url, response.data[:300])
    return response.data


def test_feeds_written_from_kept_entries_are_the_same_bytes(app, client, content, tmp_path, database):
    """Both formats, both languages, images, a withdrawal and an enforcement result: the feeds of
    an app keeping entries (asked twice, the second time from kept entries) equal those of an app
    writing every entry."""
    assert entries.entry_cache() is not None  # on by default
    kept = {url: (_body(client, url), _body(client, url)) for url in URLS}
    assert entries.entry_cache().hits > 0
    plain = create_app(app_config(tmp_path / "plain", database, FEED_ENTRY_CACHE=0, PAGE_CACHE_ENTRIES=0))
    with plain.app_context():
        assert entries.entry_cache() is None
        plain_client = plain.test_client()
        for url in URLS:
            first, second = kept[url]
            assert first == second == _body(plain_client, url), url
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize("column, value", [("title", "Tiêu đề sửa thẳng trong cơ sở dữ liệu"),
                                           ("brand", "Nhãn hiệu mới"), ("barcodes", ["8930000000017"])])
def test_a_row_changed_by_any_writer_is_written_again(app, client, content, column, value):
    """The key is the whole row, not a version number a writer might not bump: an UPDATE that
    leaves version and updated_at alone still shows in the next feed."""
    before = _body(client, "/feeds/warnings.atom")
    toy = content["toy"]
    db.session.execute(sa.update(Warning).where(Warning.id == toy.id).values({column: value}))
    db.session.commit()
    db.session.expire_all()
    after = _body(client, "/feeds/warnings.atom")
    shown = value[0] if isinstance(value, list) else value
    assert shown.encode() not in before and shown.encode() in after


def test_entries_follow_the_host_of_the_request(app, client, content):
    """Absolute links belong to the address the feed was asked at (the key holds it)."""
    first = _body(client, "/feeds/warnings.atom", base_url="http://a.example")
    second = _body(client, "/feeds/warnings.atom", base_url="https://b.example")
    assert b"http://a.example/canh-bao/" in first and b"a.example" not in second
    assert b"https://b.example/canh-bao/" in second


def test_a_changed_enforcement_result_is_written_again(app, client, content):
    sanction = content["sanction"]
    before = _body(client, "/feeds/sanctions.rss")
    db.session.execute(sa.update(Sanction).where(Sanction.id == sanction.id).values(fine_vnd=12_345_000))
    db.session.commit()
    db.session.expire_all()
    after = _body(client, "/feeds/sanctions.rss")
    assert b"12.345.000" not in before and b"12.345.000" in after


def test_the_cache_holds_at_most_its_size(tmp_path, database):
    app = create_app(app_config(tmp_path, database, FEED_ENTRY_CACHE=3, PAGE_CACHE_ENTRIES=0))
    with app.app_context():
        for _ in range(6):
            create(warning_data())
        db.session.commit()
        client = app.test_client()
        first = _body(client, "/feeds/warnings.atom")
        assert len(entries.entry_cache()) == 3
        assert _body(client, "/feeds/warnings.atom") == first
        assert first.count(b"<entry>") == 6
        db.session.remove()
        db.engine.dispose()


def test_threads_writing_the_same_feed_get_whole_documents(app, content):
    """Threads writing the same feed at once, from kept entries, get whole and equal documents."""
    flask_app = app
    client = flask_app.test_client()
    expected = _body(client, "/feeds/all.atom")
    results, errors = [], []

    def worker():
        try:
            local = flask_app.test_client()
            for _ in range(10):
                results.append(_body(local, "/feeds/all.atom"))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(results) == 40 and all(body == expected for body in results)
