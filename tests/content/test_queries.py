"""Public visibility and filters, decided once for every public surface."""
from __future__ import annotations

from datetime import timedelta

from werkzeug.datastructures import MultiDict

from portal.content.models import OldSlug, utcnow
from portal.content.queries import (find_public, paginate, parse_page, parse_sanction_filters,
                                    parse_warning_filters, public_articles, public_sanctions, public_warnings)
from portal.extensions import db
from tests.factories import _when, article_data, create, sanction_data, warning_data


def slugs(query) -> set[str]:
    return {item.slug for item in db.session.execute(query).scalars()}


def test_scheduled_and_draft_items_are_not_public(app):
    live = create(article_data())
    create(article_data(published_at=_when(2)))
    create(article_data(workflow="draft", published_at=None))
    assert slugs(public_articles()) == {live.slug}


def test_withdrawn_warning_stays_public_and_filters_by_status(app):
    active = create(warning_data())
    withdrawn = create(warning_data(status="withdrawn", withdrawn_reason="Đã hoàn tất thu hồi."))
    assert slugs(public_warnings()) == {active.slug, withdrawn.slug}
    filters, errors = parse_warning_filters(MultiDict({"status": "withdrawn"}))
    assert not errors and slugs(public_warnings(filters)) == {withdrawn.slug}


def test_sanction_window_and_demo_setting(app):
    inside = create(sanction_data())
    create(sanction_data(published_at=_when(-60), published_until=_when(-30)))
    create(sanction_data(published_at=_when(1), published_until=_when(31)))
    assert slugs(public_sanctions()) == {inside.slug}
    app.config["PORTAL_DEMO_CONTENT"] = False
    assert slugs(public_sanctions()) == set()


def test_expired_sanction_lookup_is_gone(app):
    expired = create(sanction_data(published_at=_when(-60), published_until=_when(-30)))
    assert find_public("sanction", expired.slug).gone
    assert find_public("sanction", expired.slug, now=utcnow() - timedelta(days=45)).item is not None


def test_old_slug_lookup_gives_redirect(app):
    item = create(warning_data())
    db.session.add(OldSlug(item_type="warning", item_id=item.id, slug="ten-cu"))
    db.session.commit()
    assert find_public("warning", "ten-cu").redirect_slug == item.slug
    assert find_public("warning", "khong-co").item is None


def test_warning_filters(app):
    toy = create(warning_data(category="toys", hazards=["choking"], risk_level="serious"))
    food = create(warning_data(category="food", hazards=["microbiological", "health-risk"], risk_level="medium",
                               source={"authority": "Cục An toàn thực phẩm", "reference": "VN-1"}))
    cases = {
        "category=food": {food.slug}, "hazard=health-risk": {food.slug}, "hazard=choking,chemical": {toy.slug},
        "risk_level=serious": {toy.slug}, "source=domestic": {food.slug}, "source=eu-safety-gate": {toy.slug},
    }
    for query, expected in cases.items():
        name, value = query.split("=")
        filters, errors = parse_warning_filters(MultiDict({name: value}))
        assert not errors and slugs(public_warnings(filters)) == expected, query


def test_bad_filter_values_are_reported_by_parameter(app):
    _, errors = parse_warning_filters(MultiDict({"category": "nope", "date_from": "hôm qua", "status": "x"}))
    assert set(errors) == {"category", "date_from", "status"}
    _, errors = parse_warning_filters(MultiDict({"date_to": "9999-12-31", "date_from": "0001-01-01",
                                                 "updated_since": "0001-01-01T00:00:00+01:00"}))
    assert set(errors) == {"date_to", "date_from", "updated_since"}
    _, errors = parse_sanction_filters(MultiDict({"year": "1'; drop", "online": "maybe"}))
    assert set(errors) == {"year", "online"}
    _, _, errors = parse_page(MultiDict({"page": "-1", "per_page": "1000"}))
    assert set(errors) == {"page", "per_page"}


def test_sanction_filters(app):
    online = create(sanction_data(online=True, violation_kind="trader-information"))
    offline = create(sanction_data(online=False, violation_kind="counterfeit",
                                   decision={"number": "9/QĐ-XPHC", "date": "2025-06-01", "authority": "Chi cục"}))
    for args, expected in (({"online": "1"}, {online.slug}), ({"online": "0"}, {offline.slug}),
                           ({"year": "2025"}, {offline.slug}), ({"violation_kind": "counterfeit"}, {offline.slug}),
                           ({"authority": "Chi cục"}, {offline.slug})):
        filters, errors = parse_sanction_filters(MultiDict(args))
        assert not errors and slugs(public_sanctions(filters)) == expected, args


def test_paginate_counts_all_matches(app):
    for _ in range(5):
        create(article_data())
    page = paginate(public_articles(), page=2, per_page=2)
    assert page.total == 5 and page.pages == 3 and len(page.items) == 2 and page.has_next and page.has_prev
