"""HTTP caching: validators, 304 answers, and cache keys that move the moment content does."""
from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from portal.content.services import record_change
from portal.extensions import db
from tests.factories import _when, create, sanction_data, warning_data

PUBLIC_URLS = ["/feeds/warnings.atom", "/feeds/all.rss", "/api/v1/warnings", "/sitemap.xml", "/canh-bao",
               "/canh-bao/export.csv", "/xu-ly-vi-pham/export.xlsx"]


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_answers_carry_validators_and_revalidate_to_304(client, app, url):
    create(warning_data())
    create(sanction_data())
    first = client.get(url)
    assert first.status_code == 200
    assert first.headers["Cache-Control"].startswith("public, max-age=60")
    etag, last_modified = first.headers["ETag"], first.headers["Last-Modified"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert client.get(url, headers={"If-Modified-Since": last_modified}).status_code == 304
    assert client.head(url, headers={"If-None-Match": etag}).status_code == 304


def test_publishing_changes_the_validators(client, app):
    create(warning_data(published_at=_when(-2)))
    first = client.get("/feeds/warnings.atom")
    with time_machine.travel(first.last_modified + timedelta(minutes=5), tick=False):
        create(warning_data())
        changed = client.get("/feeds/warnings.atom", headers={"If-None-Match": first.headers["ETag"],
                                                              "If-Modified-Since": first.headers["Last-Modified"]})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != first.headers["ETag"]
    assert changed.last_modified > first.last_modified


def test_updating_changes_the_validators(client, app):
    item = create(warning_data())
    first = client.get("/api/v1/warnings")
    with time_machine.travel(first.last_modified + timedelta(minutes=5), tick=False):
        item.change_note = "Bổ sung số lô."
        record_change(item, "publish")
        db.session.commit()
        changed = client.get("/api/v1/warnings", headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert changed.status_code == 200 and b"B\\u1ed5 sung s\\u1ed1 l\\u00f4." in changed.data


def test_scheduled_item_going_live_changes_the_key_without_any_write(client, app):
    create(warning_data(published_at=_when(-3)))
    scheduled = create(warning_data(published_at=_when(1)))
    first = client.get("/feeds/warnings.atom")
    with time_machine.travel(scheduled.published_at + timedelta(seconds=30), tick=False):
        later = client.get("/feeds/warnings.atom", headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert later.status_code == 200
    assert later.last_modified == scheduled.published_at.replace(microsecond=0)
    assert scheduled.title.encode() in later.data


def test_closing_window_changes_the_key(client, app):
    item = create(sanction_data(published_until=_when(1)))
    first = client.get("/feeds/sanctions.atom")
    assert item.title.encode() in first.data
    with time_machine.travel(item.published_until + timedelta(seconds=30), tick=False):
        later = client.get("/feeds/sanctions.atom", headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert later.status_code == 200 and item.title.encode() not in later.data
    assert later.last_modified == item.published_until.replace(microsecond=0)


def test_logged_in_sessions_are_never_cached_publicly(client, app):
    create(warning_data())
    with client.session_transaction() as session:
        session["_user_id"] = "1"
    response = client.get("/feeds/warnings.atom")
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "ETag" not in response.headers


def test_errors_are_not_given_validators(client, app):
    response = client.get("/feeds/warnings.atom?category=nope")
    assert response.status_code == 400 and "ETag" not in response.headers
