"""Serving in production: /healthz, PORTAL_BASE_URL against forged Host headers, the page cache."""
from __future__ import annotations

import socket

import pytest
from flask import flash

from portal import create_app
from portal.baseurl import BaseURLError
from portal.content import workflow
from portal.extensions import db
from portal.search import service
from tests.admin.helpers import login, make_user
from tests.factories import create, warning_data

BASE = "https://tieudung.haiphong.gov.vn"
FORGED = {"Host": "evil.example", "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "http",
          "X-Forwarded-Prefix": "/evil", "Forwarded": "host=evil.example;proto=http"}


def sibling(app, **config):
    """Another app on the same database and index, with ``config`` on top."""
    keys = ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "MEDIA_DIR", "SEARCH_INDEX_DIR", "WTF_CSRF_ENABLED")
    return create_app({**{k: app.config[k] for k in keys}, "TESTING": True,
                       "INSTANCE_PATH": app.instance_path, **config})


# ---------------------------------------------------------------- /healthz

def test_healthz_reports_database_index_position_lag_and_version(client, app):
    create(warning_data(slug="may-xay-sinh-to", title="Máy xay sinh tố"))
    service.apply_pending()
    body = client.get("/healthz").get_json()
    assert body["status"] == "ok" and body["database"] == {"reachable": True}
    assert body["version"] == "0.1.0"
    index = body["index"]
    assert index["built"] and index["applied"] == index["newest"] and index["lag_rows"] == 0
    assert index["lag_seconds"] == 0

    create(warning_data(slug="may-xay-2", title="Máy xay 2"))
    create(warning_data(slug="may-xay-3", title="Máy xay 3"))
    response = client.get("/healthz")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    index = response.get_json()["index"]
    assert index["lag_rows"] == 2 and index["newest"] == index["applied"] + 2 and index["lag_seconds"] >= 0


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("url", [
    "sqlite:////nonexistent-folder/portal.sqlite3",
    f"postgresql+psycopg://portal:secret@127.0.0.1:{_closed_port()}/portal",
])
def test_healthz_answers_503_when_the_database_is_unreachable(app, tmp_path, url):
    if url.startswith("postgresql"):
        pytest.importorskip("psycopg")
    down = create_app({"TESTING": True, "SECRET_KEY": "x", "INSTANCE_PATH": str(tmp_path / "down"),
                       "SQLALCHEMY_DATABASE_URI": url, "SEARCH_INDEX_DIR": str(tmp_path / "down-index")})
    response = down.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "unavailable" and body["database"]["reachable"] is False
    assert body["index"]["built"] is False and body["version"]
    assert "secret" not in response.get_data(as_text=True)  # no connection string in the answer


# ---------------------------------------------------------------- PORTAL_BASE_URL

def _outputs(client, warning) -> dict[str, str]:
    urls = {
        "sitemap": "/sitemap.xml", "robots": "/robots.txt", "atom": "/feeds/warnings.atom",
        "rss": "/feeds/all.rss", "feed_en": "/en/feeds/warnings.atom", "page": f"/canh-bao/{warning.slug}",
        "home": "/", "api_list": "/api/v1/warnings", "api_item": f"/api/v1/warnings/{warning.id}",
        "api_search": "/api/v1/search?q=binh+nong+lanh", "openapi": "/api/v1/openapi.json",
    }
    out = {}
    for name, url in urls.items():
        response = client.get(url, headers=FORGED)
        assert response.status_code == 200, (name, response.status_code)
        out[name] = response.get_data(as_text=True)
    return out


def test_a_forged_host_changes_no_absolute_url_when_the_base_url_is_set(app):
    warning = create(warning_data(slug="binh-nong-lanh", title="Bình nóng lạnh rò điện"))
    service.apply_pending()
    served = sibling(app, PORTAL_BASE_URL=BASE)
    with served.app_context():
        outputs = _outputs(served.test_client(), warning)
        db.session.remove()
        db.engine.dispose()  # its own pool: close it, not leave it to the garbage collector
    for name, text in outputs.items():
        assert "evil" not in text, name
        assert f"{BASE}/" in text, name
    assert f'<meta property="og:url" content="{BASE}/canh-bao/binh-nong-lanh">' in outputs["page"]
    json_ld = outputs["page"].split("application/ld+json", 1)[1].split("</script>", 1)[0]
    assert f"{BASE}/canh-bao/binh-nong-lanh" in json_ld
    assert f"Sitemap: {BASE}/sitemap.xml" in outputs["robots"]


def test_without_a_base_url_the_host_header_would_leak_into_urls(client, app):
    """The control: the same requests without PORTAL_BASE_URL show why the setting exists."""
    warning = create(warning_data(slug="binh-nong-lanh", title="Bình nóng lạnh rò điện"))
    service.apply_pending()
    assert "evil.example" in client.get(f"/canh-bao/{warning.slug}", headers={"Host": "evil.example"}).get_data(as_text=True)


def test_a_base_url_with_a_path_prefix(app):
    create(warning_data(slug="den-led", title="Đèn LED quá nhiệt"))
    served = sibling(app, PORTAL_BASE_URL="https://congthuong.haiphong.gov.vn/tieu-dung")
    with served.app_context():
        client = served.test_client()
        robots = client.get("/tieu-dung/robots.txt", headers=FORGED).get_data(as_text=True)
        page = client.get("/canh-bao/den-led", headers=FORGED).get_data(as_text=True)
        db.session.remove()
        db.engine.dispose()
    assert "Sitemap: https://congthuong.haiphong.gov.vn/tieu-dung/sitemap.xml" in robots
    assert 'content="https://congthuong.haiphong.gov.vn/tieu-dung/canh-bao/den-led"' in page


@pytest.mark.parametrize("bad", ["tieudung.haiphong.gov.vn", "ftp://x.vn", "https://", "https://x.vn/?a=1",
                                 "https://user:pw@x.vn", "https://x.vn:port"])
def test_a_bad_base_url_is_refused_at_start(app, bad):
    with pytest.raises(BaseURLError, match="PORTAL_BASE_URL"):
        sibling(app, PORTAL_BASE_URL=bad)


# ---------------------------------------------------------------- the page cache

def test_public_pages_are_kept_and_a_publish_through_the_workflow_renews_them(client, app):
    create(warning_data(slug="xe-dap-tre-em", title="Xe đạp trẻ em gãy khung"))
    first = client.get("/")
    assert first.headers["X-Page-Cache"] == "miss"
    again = client.get("/")
    assert again.headers["X-Page-Cache"] == "hit" and again.data == first.data
    assert again.headers["ETag"] == first.headers["ETag"]
    assert client.get("/", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    assert client.get("/api/v1/warnings").headers["X-Page-Cache"] == "miss"
    assert client.get("/api/v1/warnings").headers["X-Page-Cache"] == "hit"

    publisher = make_user("publisher")
    draft = workflow.create_item(publisher, "warning", {**warning_data(slug="noi-ap-suat", title="Nồi áp suất nổ van"),
                                                        "published_at": None})
    db.session.commit()
    assert client.get("/").headers["X-Page-Cache"] == "hit"  # a draft is not a public change
    assert "Nồi áp suất nổ van" not in client.get("/").get_data(as_text=True)
    workflow.publish(publisher, draft, draft.version)
    db.session.commit()
    after = client.get("/")
    assert after.headers["X-Page-Cache"] == "miss" and "Nồi áp suất nổ van" in after.get_data(as_text=True)
    assert "noi-ap-suat" in client.get("/api/v1/warnings").get_data(as_text=True)


def test_languages_and_hosts_have_their_own_entries(client, app):
    create(warning_data(slug="mu-bao-hiem", title="Mũ bảo hiểm kém chất lượng"))
    assert client.get("/en/").headers.get("X-Page-Cache") == "miss"
    assert client.get("/").headers.get("X-Page-Cache") == "miss"
    assert client.get("/sitemap.xml", headers={"Host": "evil.example"}).status_code == 200
    plain = client.get("/sitemap.xml")
    assert plain.headers["X-Page-Cache"] == "miss" and b"evil.example" not in plain.data


def test_logged_in_editors_never_get_or_leave_cached_pages(client, app):
    create(warning_data(slug="sua-tam-be", title="Sữa tắm em bé"))
    editor = make_user("editor")
    editor_client = app.test_client()
    assert login(editor_client, editor).status_code == 302
    seen_by_editor = editor_client.get("/")
    assert "X-Page-Cache" not in seen_by_editor.headers
    assert client.get("/").headers["X-Page-Cache"] == "miss"  # the editor's page was not kept
    assert client.get("/").headers["X-Page-Cache"] == "hit"
    assert "X-Page-Cache" not in editor_client.get("/").headers  # nor is the kept page served to them
    assert "X-Page-Cache" not in client.get("/", headers={"Authorization": "Basic eDp5"}).headers


def test_answers_that_flash_or_set_cookies_are_never_kept(client, app):
    def flashing():
        flash("Đã lưu.")
        return "trang có thông báo"

    def cookie_setting():
        response = app.make_response("trang đặt cookie")
        response.set_cookie("ngon_ngu", "vi")
        return response

    app.add_url_rule("/thu-thong-bao", "public.test_flash", flashing)
    app.add_url_rule("/thu-cookie", "public.test_cookie", cookie_setting)
    for url in ("/thu-thong-bao", "/thu-cookie"):
        for _ in range(2):
            response = app.test_client().get(url)
            assert response.status_code == 200 and "X-Page-Cache" not in response.headers


def test_search_answers_are_never_kept(client, app):
    create(warning_data(slug="may-loc-nuoc", title="Máy lọc nước"))
    service.apply_pending()
    for url in ("/tim-kiem?q=may+loc+nuoc", "/api/v1/search?q=may+loc+nuoc", "/feeds/search.atom?q=may+loc+nuoc"):
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == 200 and "X-Page-Cache" not in response.headers, url


def test_one_thread_renders_a_missing_page_while_the_others_wait_for_it():
    import threading

    from portal.pagecache import PageCache

    cache = PageCache(4)
    key = ("http://localhost/", "vi", "g1")
    assert cache.lookup(key, allow_stale=False)[0] is None  # this thread renders
    got = []
    waiter = threading.Thread(target=lambda: got.append(cache.lookup(key, wait=30, allow_stale=False)[0]))
    waiter.start()
    cache.put(key, (200, [], b"trang"))
    waiter.join(30)
    assert got == [(200, [], b"trang")] and cache.hits == 1 and cache.misses == 1

    other = ("http://localhost/en/", "en", "g1")
    assert cache.lookup(other, allow_stale=False)[0] is None
    waiter = threading.Thread(target=lambda: got.append(cache.lookup(other, wait=30, allow_stale=False)[0]))
    waiter.start()
    cache.release(other)  # the first render was not kept: the waiter renders its own
    waiter.join(30)
    assert got[-1] is None


def test_a_claim_never_released_is_taken_over_after_the_wait():
    from portal.pagecache import PageCache

    cache = PageCache(4)
    key = ("http://localhost/", "vi", "g2")
    assert cache.lookup(key, allow_stale=False)[0] is None  # a renderer that never finishes
    assert cache.lookup(key, wait=0.01, allow_stale=False)[0] is None  # waited, then took the claim over
    cache.put(key, (200, [], b"trang"))
    assert cache.lookup(key, wait=0.01, allow_stale=False)[0] == (200, [], b"trang")


def test_while_a_page_re_renders_other_threads_answer_with_its_previous_generation():
    from portal.pagecache import PageCache

    cache = PageCache(8)
    old, new = ("http", "localhost", "", "/", "", "vi", "g1"), ("http", "localhost", "", "/", "", "vi", "g2")
    assert cache.lookup(old) == (None, "render")
    cache.put(old, (200, [], b"cu"))
    assert cache.lookup(new) == (None, "render")  # a publish: this thread renders the new page
    assert cache.lookup(new, wait=0.01) == ((200, [], b"cu"), "stale")  # others do not wait
    assert cache.lookup(new, wait=0.01, allow_stale=False)[0] is None  # unless they must not have it stale
    cache.put(new, (200, [], b"moi"))
    assert cache.lookup(new) == ((200, [], b"moi"), "hit")
    assert len(cache) == 1  # the older generation of the page went when the new one came
    other = ("http", "localhost", "", "/en/", "", "en", "g3")
    assert cache.lookup(other) == (None, "render")
    assert cache.lookup(other, wait=0.01) == (None, "render")  # nothing older: waited, took over


def test_a_stale_answer_carries_no_validators(client, app):
    from portal import pagecache
    from portal.feeds.caching import generation_key

    create(warning_data(slug="noi-com-dien", title="Nồi cơm điện chập điện"))
    client.get("/")
    with app.test_request_context("/"):
        key = ("http", "localhost", "", "/", "", "vi", generation_key())
    create(warning_data(slug="may-say-toc", title="Máy sấy tóc quá nhiệt"))  # a new generation
    with app.test_request_context("/"):
        new_key = key[:-1] + (generation_key(),)
    assert new_key != key
    assert pagecache.cache(app).lookup(new_key) == (None, "render")  # as if another thread rendered it
    stale = client.get("/")
    assert stale.headers["X-Page-Cache"] == "stale"
    assert "ETag" not in stale.headers and "Last-Modified" not in stale.headers
    assert stale.headers["Cache-Control"] == "no-cache"
    assert "Máy sấy tóc" not in stale.get_data(as_text=True)
    pagecache.cache(app).release(new_key)
    fresh = client.get("/")
    assert fresh.headers["X-Page-Cache"] == "miss" and "Máy sấy tóc" in fresh.get_data(as_text=True)
    assert "ETag" in fresh.headers
