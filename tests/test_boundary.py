"""Control characters never reach the database: every route, every path segment, every query
parameter the code reads (on SQLite and on PostgreSQL, whose text cannot hold NUL)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing import AnyConverter, IntegerConverter, PathConverter

from portal.boundary import ADDRESS_CONTROL, TEXT_CONTROL
from portal.content.loader import LoadError, load_paths
from portal.content.models import Article, Warning
from portal.extensions import db
from tests.admin.helpers import login, make_user
from tests.factories import article_data, create, sanction_data, warning_data

ROOT = Path(__file__).resolve().parent.parent
# Every C0 control, DEL and a few C1 controls; %-encoded as a link would carry them.
CONTROLS = [chr(c) for c in range(0x20)] + ["\x7f", "\x80", "\x85", "\x9f"]
QUERY_CONTROLS = [c for c in CONTROLS if c not in "\t\n\r"]


def read_parameters() -> list[str]:
    """The names of the query parameters the code reads (found in its source), and one it does not."""
    names = set()
    pattern = re.compile(r'args(?:\.get(?:list)?\(|, |\[)\s*"([a-z_]+)"')
    for path in (ROOT / "portal").rglob("*.py"):
        names.update(pattern.findall(path.read_text(encoding="utf-8")))
    return sorted(names | {"since", "until", "unknown_parameter"})


PARAMETERS = read_parameters()


def encode(char: str) -> str:
    return "".join(f"%{byte:02X}" for byte in char.encode("utf-8"))


@pytest.fixture
def world(app):
    warning = create(warning_data())
    guide = create(article_data())
    sanction = create(sanction_data())
    db.session.commit()
    return {"warning": warning.slug, "guide": guide.slug, "sanction": sanction.slug}


def sample_value(rule, name: str, converter, world) -> str | int:
    if isinstance(converter, IntegerConverter):
        return 1
    if isinstance(converter, AnyConverter):
        return sorted(converter.items)[0]
    if isinstance(converter, PathConverter):
        return "css/site.css" if rule.endpoint == "static" else "x"
    for kind in ("warning", "guide", "sanction"):
        if kind in rule.endpoint:
            return world[kind]
    return "category" if name == "vocabulary" else "x"


def routes(app, world):
    """(methods, path) of every rule, with real values in its variable parts."""
    adapter = app.url_map.bind("localhost")
    out = []
    for rule in app.url_map.iter_rules():
        values = {name: sample_value(rule, name, converter, world) for name, converter in rule._converters.items()}
        path = adapter.build(rule.endpoint, values, method=sorted(rule.methods)[0])
        methods = sorted(rule.methods & {"GET", "POST"})
        out.append((methods, path))
    assert len(out) > 40
    return out


def call(client, method: str, url: str):
    return client.get(url) if method == "GET" else client.post(url, data={})


def test_control_characters_in_any_path_segment_answer_400(app, client, world):
    login(client, make_user("publisher"))
    n = 0
    for methods, path in routes(app, world):
        assert call(client, methods[0], path).status_code < 500, path
        segments = path.split("/")
        for i in range(1, len(segments)):
            char = CONTROLS[n % len(CONTROLS)]
            where = 0 if n % 2 else len(segments[i])  # at the start of the segment, or at its end
            n += 1
            broken = "/".join(segments[:i] + [segments[i][:where] + encode(char) + segments[i][where:]]
                              + segments[i + 1:])
            for method in methods:
                response = call(client, method, broken)
                expected = 404 if broken.startswith("/api/") else 400
                assert response.status_code == expected, (method, broken, response.status_code)
    assert n > len(CONTROLS)  # every control character was tried


def test_control_characters_in_query_parameters_answer_400_on_every_route(app, client, world):
    """Each route with a parameter it reads (in turn) holding a control character in its value or
    its name; then each parameter the code reads, on the pages and API that read most of them."""
    login(client, make_user("publisher"))
    assert {"q", "page", "per_page", "authority", "tag", "category", "lang", "type"} <= set(PARAMETERS)
    n = 0

    def check(method: str, path: str, name: str) -> None:
        nonlocal n
        char = QUERY_CONTROLS[n % len(QUERY_CONTROLS)]
        query = [f"{name}={encode(char)}", f"{name}=ab{encode(char)}c", f"{name}{encode(char)}=1"][n % 3]
        n += 1
        response = call(client, method, f"{path}?page=1&{query}")
        assert response.status_code == 400, (method, path, query, response.status_code)

    for methods, path in routes(app, world):
        for method in methods:
            check(method, path, PARAMETERS[n % len(PARAMETERS)])
    for path in ("/canh-bao", "/xu-ly-vi-pham", "/en/guides", "/tim-kiem", "/api/v1/warnings",
                 "/feeds/warnings.atom", "/admin/audit", "/admin/warnings/"):
        for name in PARAMETERS:
            check("GET", path, name)


@pytest.mark.parametrize("url, where", [
    ("/xu-ly-vi-pham?authority=%00", "“authority”"),
    ("/huong-dan?tag=%00", "“tag”"),
    ("/tim-kiem?q=s%E1%BB%AFa%00", "“q”"),
    ("/canh-bao/ab%00c", "Đường dẫn"),
])
def test_the_answer_is_a_localised_page_naming_the_parameter(client, url, where):
    response = client.get(url)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "ký tự điều khiển" in page and where in page


def test_english_pages_answer_in_english_and_the_api_in_json(client):
    page = client.get("/en/guides?tag=a%01").get_data(as_text=True)
    assert "The parameter “tag” contains a control character" in page
    response = client.get("/api/v1/warnings?category=%00")
    assert response.status_code == 400
    assert response.json["error"]["parameter"] == "category"
    assert response.json["error"]["status"] == 400
    response = client.get("/api/v1/warnings/1%00")  # like any path the API does not know
    assert response.status_code == 404 and response.json["error"]["status"] == 404


def test_tab_and_line_breaks_in_a_query_are_not_control_errors(client):
    assert client.get("/tim-kiem?q=s%E1%BB%AFa%09b%E1%BB%99t").status_code == 200
    assert client.get("/xu-ly-vi-pham?authority=S%E1%BB%9F%0AC%C3%B4ng").status_code == 200


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12),
       url=st.sampled_from(["/canh-bao?category=", "/xu-ly-vi-pham?authority=", "/huong-dan?tag=",
                            "/tim-kiem?q=", "/api/v1/warnings?updated_since=", "/feeds/search.atom?q="]))
def test_any_text_in_a_query_value_never_gives_a_server_error(client, value, url):
    from urllib.parse import quote

    response = client.get(url + quote(value, safe=""))
    assert response.status_code < 500
    if TEXT_CONTROL.search(value):
        assert response.status_code == 400


def test_form_values_are_cleaned_and_the_text_kept(app, client):
    login(client, make_user("editor"))
    response = client.post("/admin/articles/new", data={
        "title": "Bài\x00 viết\x0bmới", "lang": "vi", "kind": "guide",
        "body": "Dòng một\x0cDòng hai\x00.\r\nDòng\tba.", "summary": "Tóm\x1b tắt", "action": "save"})
    assert response.status_code == 302
    article = db.session.execute(db.select(Article)).scalar_one()
    assert article.title == "Bài viết mới"
    assert article.summary == "Tóm tắt"
    assert article.body.replace("\r\n", "\n") == "Dòng một Dòng hai.\nDòng\tba."


def test_a_control_character_in_a_form_field_name_answers_400(client):
    response = client.post("/admin/login", data={"email\x00": "a@example.vn", "password": "x"})
    assert response.status_code == 400


def test_sign_in_with_control_characters_is_refused_not_a_server_error(client):
    response = client.post("/admin/login", data={"email": "\x00", "password": "\x00\x01"})
    assert response.status_code in (200, 400, 422)


def test_content_files_with_control_characters_are_refused_naming_file_and_field(app, write_content):
    good = write_content("tot.md", """
type: article
slug: bai-tot
title: Bài tốt
lang: vi
published_at: 2026-01-01T08:00:00+07:00
""")
    bad = write_content("xau.md", """
type: warning
slug: canh-bao-xau
title: Cảnh báo
lang: vi
published_at: 2026-01-01T08:00:00+07:00
category: toys
hazards: [choking]
risk_level: serious
product: {name: "Đồ chơi\\0 nhỏ"}
""")
    with pytest.raises(LoadError) as caught:
        load_paths([good, bad])
    message = str(caught.value)
    assert str(bad) in message and "product.name" in message and "U+0000" in message
    assert db.session.execute(db.select(db.func.count(Article.id))).scalar_one() == 0
    assert db.session.execute(db.select(db.func.count(Warning.id))).scalar_one() == 0


def test_a_control_character_in_a_content_body_is_refused(app, write_content):
    path = write_content("than.md", """
type: article
slug: bai-co-ky-tu-la
title: Bài có ký tự lạ
lang: vi
published_at: 2026-01-01T08:00:00+07:00
""", body="Đoạn một.\x1b Đoạn hai.")
    with pytest.raises(LoadError) as caught:
        load_paths([path])
    assert "body" in str(caught.value) and "U+001B" in str(caught.value)


@pytest.mark.parametrize("url", ["/api/v1/articles/3287889565", "/api/v1/warnings/2147483648",
                                 "/admin/warnings/99999999999", "/admin/users/2147483648",
                                 "/admin/warnings/1/revisions/4294967296"])
def test_an_id_larger_than_an_integer_column_is_not_found(client, url):
    login(client, make_user("admin"))
    response = client.get(url)
    assert response.status_code == 404
    if url.startswith("/api/"):
        assert response.json["error"]["status"] == 404


def test_the_largest_integer_id_still_reaches_the_view(client):
    response = client.get("/api/v1/articles/2147483647")
    assert response.status_code == 404 and "2147483647" in response.json["error"]["message"]


def test_patterns_agree_on_what_a_line_break_is():
    assert not TEXT_CONTROL.search("a\tb\nc\r\n")
    assert ADDRESS_CONTROL.search("a\tb")
    assert all(TEXT_CONTROL.search(c) for c in QUERY_CONTROLS)


@pytest.mark.parametrize("role, url", [("admin", "/admin/audit?page=%C2%B2"), ("admin", "/admin/audit?item_id=%C2%B2"),
                                       ("publisher", "/admin/warnings/?page=%C2%B2")])
def test_digits_that_are_not_decimal_are_not_a_server_error(client, role, url):
    login(client, make_user(role))
    assert client.get(url).status_code == 200  # "²".isdigit() is true, but int("²") fails
