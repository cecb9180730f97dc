"""No 5xx from any query string: every GET route fuzzed, logged in and not.

Values include digits of other scripts (superscripts, Arabic-Indic, full-width: all pass
``str.isdigit()``), NUL, url_for's own option names as parameter names, huge numbers and
long strings. Responses must be below 500 (400/404/422 with an explanation are fine).
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.content import workflow
from portal.extensions import db
from portal.params import whole_number
from tests.admin.helpers import login, make_user
from tests.factories import article_data, create, sanction_data, warning_data

NAMES = ["page", "per_page", "year", "q", "type", "category", "hazard", "risk_level", "source", "status",
         "date_from", "date_to", "updated_since", "lang", "kind", "tag", "online", "violation_kind", "authority",
         "stage", "org", "mine", "action", "actor", "item_type", "item_id", "since", "until", "next", "code",
         "_anchor", "_external", "_scheme", "_method", "_lang", "fmt", "feed_kind", "slug"]
ODD_DIGITS = ["¹", "³", "²⁰²⁶", "٣", "۳", "३", "১", "０", "２０２６", "𝟙", "Ⅻ", "①"]
VALUES = st.one_of(
    st.sampled_from(ODD_DIGITS + ["\x00", "1\x00", "-1", "0", "1e9", " 2 ", "2026-02-30", "2026-01-01T25:00",
                                  "javascript:alert(1)", "//evil.example", "https", "1", "2025", "toys,\x00"]),
    st.integers(min_value=-10**30, max_value=10**30).map(str),
    st.text(max_size=40),
    st.text(alphabet=st.characters(categories=["Nd", "No"]), min_size=1, max_size=8),
    st.integers(min_value=200, max_value=5000).map(lambda n: "9" * n),
    st.integers(min_value=100, max_value=20000).map(lambda n: "á" * n),
)
QUERIES = st.lists(st.tuples(st.one_of(st.sampled_from(NAMES), st.text(max_size=12)), VALUES), min_size=1, max_size=5)


def route_urls(app, ids: dict[str, str]) -> list[str]:
    """A concrete URL for every GET rule (view arguments filled from the fixture content)."""
    urls = []
    samples = {"kind": "warning", "item_id": ids["warning_id"], "revision_id": ids["revision_id"],
               "user_id": ids["user_id"], "record_id": "1", "feed_kind": "warnings", "feed_format": "atom", "fmt": "csv",
               "vocabulary": "category", "unknown": "x", "key": "k", "name": "n.jpg", "step": "withdraw",
               "complaint_id": "1", "attachment_id": "1"}
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        values = {arg: samples.get(arg, ids.get(rule.endpoint.split(".")[-1].removesuffix("_en"), "x"))
                  for arg in rule.arguments}
        if "slug" in rule.arguments:
            values["slug"] = ids[rule.endpoint.split(".")[-1].removesuffix("_en")]
        if rule.endpoint == "feeds.sitemap_file":  # /sitemaps/<kind>-<number>.xml names its kind in the plural
            values.update(kind="warnings", number=0)
        with app.test_request_context():
            from flask import url_for
            urls.append(url_for(rule.endpoint, **values))
    return sorted(set(urls))


@pytest.fixture
def world(app):
    warning = create(warning_data())
    guide = create(article_data())
    sanction = create(sanction_data())
    publisher = make_user("publisher")
    officer = make_user("enforcement")
    admin = make_user("admin")
    handler = make_user("complaints", org="so-cong-thuong")
    draft = workflow.create_item(publisher, "warning", {**warning_data(), "published_at": None})
    db.session.commit()
    ids = {"warning": warning.slug, "guide": guide.slug, "sanction": sanction.slug, "warning_id": str(draft.id),
           "revision_id": str(draft.latest_revision_id), "user_id": str(publisher.id)}
    clients = {"anonymous": app.test_client()}
    for user in (publisher, officer, admin, handler):
        clients[user.role] = app.test_client()
        assert login(clients[user.role], user).status_code == 302
    return route_urls(app, ids), clients


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(data=st.data())
def test_no_query_string_gives_a_server_error(app, world, data):
    urls, clients = world
    url = data.draw(st.sampled_from(urls), label="url")
    who = data.draw(st.sampled_from(sorted(clients)), label="who")
    query = data.draw(QUERIES, label="query")
    response = clients[who].get(url, query_string=query)
    response.close()
    assert response.status_code < 500, (who, url, query, response.status_code)


@pytest.mark.parametrize("query", [{"page": "¹"}, {"year": "³"}, {"per_page": "²"}, {"item_id": "¹"},
                                   {"_anchor": "x"}, {"_external": "1"}, {"_scheme": "javascript"},
                                   {"_method": "POST"}, {"page": "٣"}, {"page": "9" * 400}])
def test_the_reported_500s(app, world, query):
    urls, clients = world
    for url in urls:
        for who, client in clients.items():
            response = client.get(url, query_string=query)
            response.close()
            assert response.status_code < 500, (who, url, query)


def test_whole_number_accepts_ascii_digits_only():
    assert whole_number("12", 1, 100) == 12 and whole_number(" 7 ") == 7
    for bad in ("¹", "٣", "２", "1\x00", "-1", "+1", "1_000", "", None, 5, "9" * 16):
        assert whole_number(bad) is None, bad
    assert whole_number("0", 1, 10) is None and whole_number("11", 1, 10) is None
