"""List filters read the hazard and tag tables and the stored source kind (migrations 0007, 0010).

The tables and the column are derived by database triggers from the JSON lists and the source
authority. Each filter must give exactly what the old reading of those columns gave: the same
items, in the same order, after edits that add or remove a hazard or tag, move a publication
time, change a source or delete an item; drafts stay out, withdrawn warnings stay in.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from portal.content import queries
from portal.content.models import Article, ArticleTag, Warning, WarningHazard, WarningTag
from portal.extensions import db
from tests.databases import on_postgresql

NOW = datetime.now(timezone.utc)
HAZARDS = [["choking"], ["drowning"], ["choking", "fire"], ["fire", "drowning"], [], ["chemical"]]
AUTHORITIES = ["EU Safety Gate", "US CPSC", "Cục Quản lý cạnh tranh", "RAPEX", "U.S. FDA", "Sở Công Thương"]
STATUSES = ["published", "published", "withdrawn", "draft", "published", "review", "published"]
WARNING_TAGS = [["15-3"], ["tre-em", "15-3"], [], ["tre-em"], ["15-3", "15-3"]]


def seed() -> None:
    """Warnings through the ORM (as the workflow writes) and guides through a bulk insert (as
    the importers and benchmarks do): the triggers must serve both."""
    for i in range(1, 43):
        at = NOW - timedelta(hours=i % 17, minutes=i)  # some share an hour: order needs the id too
        db.session.add(Warning(
            id=i, slug=f"canh-bao-{i}", lang="vi", title=f"Cảnh báo {i}", product_name=f"Sản phẩm {i}",
            category="toys" if i % 2 else "food", risk_level="serious" if i % 3 else "low",
            hazards=list(HAZARDS[i % len(HAZARDS)]), status=STATUSES[i % len(STATUSES)],
            tags=list(WARNING_TAGS[i % len(WARNING_TAGS)]),
            published_at=at if i % 11 else NOW + timedelta(days=1),  # a few scheduled
            # Feeds' order: the publication, or a later update for some (one updated ahead of now).
            content_updated_at=(at if i % 11 else NOW + timedelta(days=1)) + timedelta(minutes=(i % 4) * 37)
            + (timedelta(days=2) if i == 20 else timedelta()),
            source_authority=AUTHORITIES[i % len(AUTHORITIES)]))
    db.session.execute(sa.insert(Article), [
        dict(id=i, slug=f"huong-dan-{i}", lang="vi", title=f"Hướng dẫn {i}", kind="guide",
             tags=[["khieu-nai"], ["khieu-nai", "15-3"], [], ["bảo-hành"]][i % 4],
             status=STATUSES[i % len(STATUSES)], published_at=NOW - timedelta(hours=i % 5, minutes=i),
             content_updated_at=NOW - timedelta(hours=i % 5, minutes=i) + timedelta(minutes=(i % 3) * 50))
        for i in range(1, 31)])
    db.session.commit()


def old_warnings(*, hazard=(), source=(), status=None, tag=None) -> list[int]:
    """What the JSON-column filters selected: computed in Python from every warning row."""
    rows = db.session.execute(sa.select(Warning)).scalars().all()
    public = [w for w in rows if w.status in ("published", "withdrawn") and w.published_at <= NOW]
    chosen = [w for w in public
              if (not hazard or set(hazard) & set(w.hazards))
              and (not source or queries.source_code(w.source_authority) in source)
              and (status is None or (w.status == "withdrawn") == (status == "withdrawn"))
              and (tag is None or tag in (w.tags or []))]
    return [w.id for w in sorted(chosen, key=lambda w: (w.published_at, w.id), reverse=True)]


def old_articles(tag: str) -> list[int]:
    rows = db.session.execute(sa.select(Article)).scalars().all()
    chosen = [a for a in rows if a.status == "published" and a.published_at <= NOW and tag in (a.tags or [])]
    return [a.id for a in sorted(chosen, key=lambda a: (a.published_at, a.id), reverse=True)]


def new_warnings(**filters) -> list[int]:
    query = queries.public_warnings(queries.WarningFilters(**filters), NOW)
    return [w.id for w in db.session.execute(query).scalars()]


def new_articles(tag: str) -> list[int]:
    return [a.id for a in db.session.execute(queries.public_articles(queries.ArticleFilters(tag=tag), NOW)).scalars()]


CASES = [dict(hazard=["drowning"]), dict(hazard=["choking"]), dict(hazard=["fire", "chemical"]),
         dict(hazard=["drowning", "fire"]), dict(source=["domestic"]), dict(source=["us-cpsc"]),
         dict(source=["eu-safety-gate", "domestic"]), dict(status="withdrawn"), dict(status="active"),
         dict(hazard=["fire"], source=["eu-safety-gate"], status="active"), dict(tag="15-3"), dict(tag="tre-em"),
         dict(tag="15-3", hazard=["choking", "fire"]), dict(tag="tre-em", status="active", source=["us-cpsc"])]


def check_all() -> None:
    for case in CASES:
        expected = old_warnings(**case)
        assert new_warnings(**case) == expected, case
    for tag in ("khieu-nai", "15-3", "bảo-hành", "khieu"):
        assert new_articles(tag) == old_articles(tag), tag


def test_filters_select_what_the_json_columns_say(app):
    seed()
    assert old_warnings(hazard=["drowning"]) and old_warnings(source=["domestic"]) and old_articles("15-3")
    assert old_warnings(tag="15-3") and old_warnings(tag="tre-em", status="active")
    check_all()
    # Drafts, items in review and scheduled ones have their rows but stay out of every list.
    drafts = db.session.execute(sa.select(Warning.id).where(Warning.status == "draft")).scalars().all()
    assert drafts and not set(drafts) & set(new_warnings(hazard=["choking"]) + new_warnings(hazard=["drowning"]))


def test_edits_keep_the_filters_in_step(app):
    seed()
    hazard_warning = db.session.get(Warning, old_warnings(hazard=["drowning"])[0])
    hazard_warning.hazards = [h for h in hazard_warning.hazards if h != "drowning"] or ["other"]
    moved = db.session.get(Warning, old_warnings(hazard=["choking"])[-1])
    moved.published_at = NOW - timedelta(seconds=1)  # to the top of the list
    resourced = db.session.get(Warning, old_warnings(source=["eu-safety-gate"])[0])
    resourced.source_authority = "Chi cục Quản lý thị trường Hải Phòng"
    withdrawn = db.session.get(Warning, old_warnings(status="active")[0])
    withdrawn.status = "withdrawn"
    gone = next(i for i in old_warnings(hazard=["fire"]) if i not in (moved.id, hazard_warning.id))
    db.session.delete(db.session.get(Warning, gone))
    retagged = db.session.get(Warning, old_warnings(tag="15-3")[0])
    retagged.tags = ["tre-em"]
    article = db.session.get(Article, old_articles("15-3")[0])
    article.tags = ["khieu-nai"]
    unpublished = db.session.get(Article, old_articles("khieu-nai")[-1])
    unpublished.status = "draft"
    db.session.commit()
    db.session.expire_all()
    assert hazard_warning.id not in new_warnings(hazard=["drowning"])
    assert new_warnings(hazard=["choking"])[0] == moved.id
    assert resourced.id in new_warnings(source=["domestic"])
    assert gone not in new_warnings(hazard=["fire"]) and withdrawn.id in new_warnings(status="withdrawn")
    assert article.id not in new_articles("15-3") and unpublished.id not in new_articles("khieu-nai")
    assert retagged.id not in new_warnings(tag="15-3") and retagged.id in new_warnings(tag="tre-em")
    check_all()
    # The derived rows are exactly the JSON lists, nothing left behind.
    pairs = {(w.id, code) for w in db.session.execute(sa.select(Warning)).scalars() for code in w.hazards}
    assert set(db.session.execute(sa.select(WarningHazard.warning_id, WarningHazard.code)).all()) == pairs
    warning_tags = {(w.id, tag) for w in db.session.execute(sa.select(Warning)).scalars() for tag in w.tags}
    assert set(db.session.execute(sa.select(WarningTag.warning_id, WarningTag.tag)).all()) == warning_tags
    tags = {(a.id, tag) for a in db.session.execute(sa.select(Article)).scalars() for tag in a.tags}
    assert set(db.session.execute(sa.select(ArticleTag.article_id, ArticleTag.tag)).all()) == tags


def old_changes(rows, *, hazard=(), tag=None) -> list[int]:
    """What a feed lists: public items whose change has happened, newest change first."""
    shown = ("published", "withdrawn") if rows and isinstance(rows[0], Warning) else ("published",)
    public = [item for item in rows if item.status in shown and item.published_at <= NOW
              and item.content_updated_at <= NOW]
    chosen = [item for item in public
              if (not hazard or set(hazard) & set(item.hazards)) and (tag is None or tag in (item.tags or []))]
    return [item.id for item in sorted(chosen, key=lambda item: (item.content_updated_at, item.id), reverse=True)]


def check_changes() -> None:
    warnings = db.session.execute(sa.select(Warning)).scalars().all()
    for case in (dict(hazard=["choking"]), dict(hazard=["drowning"]), dict(hazard=["fire", "chemical"]),
                 dict(tag="15-3"), dict(tag="tre-em"), dict(tag="15-3", hazard=["choking"]), {}):
        query = queries.public_warnings(queries.WarningFilters(**case), NOW, queries.CHANGE_ORDER)
        assert [w.id for w in db.session.execute(query).scalars()] == old_changes(warnings, **case), case
    articles = db.session.execute(sa.select(Article)).scalars().all()
    for tag in ("khieu-nai", "15-3"):
        query = queries.public_articles(queries.ArticleFilters(tag=tag), NOW, queries.CHANGE_ORDER)
        assert [a.id for a in db.session.execute(query).scalars()] == old_changes(articles, tag=tag), tag
    # Every derived row carries its item's change time (migration 0015's triggers).
    for link, key, model in ((WarningHazard, WarningHazard.warning_id, Warning), (WarningTag, WarningTag.warning_id, Warning),
                             (ArticleTag, ArticleTag.article_id, Article)):
        pairs = db.session.execute(sa.select(link.changed_at, model.content_updated_at).join(model, model.id == key)).all()
        assert pairs and all(derived == own for derived, own in pairs), link


def test_feeds_walk_a_hazard_or_a_tag_in_change_order(app):
    """One hazard or one tag in a feed walks (value, changed_at, key) of the link table; its
    change time is the item's, kept by triggers through an update published with a change note,
    a new hazard or tag, and a bulk insert."""
    seed()
    assert old_changes(db.session.execute(sa.select(Warning)).scalars().all(), hazard=["choking"])
    check_changes()
    updated = db.session.get(Warning, old_changes(db.session.execute(sa.select(Warning)).scalars().all(),
                                                  hazard=["choking"])[-1])
    updated.content_updated_at = NOW - timedelta(seconds=1)  # an update published with a change note
    retagged = db.session.get(Warning, old_changes(db.session.execute(sa.select(Warning)).scalars().all(),
                                                   tag="15-3")[0])
    retagged.tags = ["tre-em"]
    db.session.commit()
    db.session.expire_all()
    query = queries.public_warnings(queries.WarningFilters(hazard=["choking"]), NOW, queries.CHANGE_ORDER)
    assert db.session.execute(query).scalars().first().id == updated.id
    check_changes()


def test_filtered_pages_through_the_site(app, client):
    seed()
    expected = old_warnings(hazard=["drowning"])
    data = client.get("/api/v1/warnings?hazard=drowning&per_page=100").get_json()
    assert [item["id"] for item in data["items"]] == expected
    page = client.get("/canh-bao?source=domestic").get_data(as_text=True)
    for warning_id in old_warnings(source=["domestic"]):
        assert f"/canh-bao/canh-bao-{warning_id}\"" in page


PLANS = {
    "hazard": (lambda: queries.public_warnings(queries.WarningFilters(hazard=["drowning"]), NOW),
               "ix_warning_hazard_code_order"),
    "source": (lambda: queries.public_warnings(queries.WarningFilters(source=["domestic"]), NOW),
               "ix_warning_source_kind_published_at_id"),
    # (status, published_at, id) or the generation's (status, published_at): the same walk, as
    # SQLite appends the rowid (the id) to every index; which one it takes depends on their order.
    "withdrawn": (lambda: queries.public_warnings(queries.WarningFilters(status="withdrawn"), NOW),
                  "ix_warning_status_published_at"),
    "tag": (lambda: queries.public_articles(queries.ArticleFilters(tag="15-3"), NOW), "ix_article_tag_tag_order"),
    "warning_tag": (lambda: queries.public_warnings(queries.WarningFilters(tag="15-3"), NOW),
                    "ix_warning_tag_tag_order"),
}


@pytest.mark.skipif(on_postgresql(), reason="reads SQLite's EXPLAIN QUERY PLAN")
@pytest.mark.parametrize("name", sorted(PLANS))
def test_a_filter_walks_its_index_in_list_order(app, name):
    """The plan reads the filter's index and needs no sort, so it can stop at the page."""
    seed()
    build, index = PLANS[name]
    sent = []

    def capture(conn, cursor, statement, parameters, *args) -> None:
        sent.append((statement, parameters))

    sa.event.listen(db.engine, "before_cursor_execute", capture)
    try:
        db.session.execute(build().limit(20)).all()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", capture)
    statement, parameters = sent[-1]
    plan = " | ".join(row[-1] for row in db.session.connection().exec_driver_sql(
        f"EXPLAIN QUERY PLAN {statement}", parameters))
    assert index in plan, plan
    assert "TEMP B-TREE FOR ORDER BY" not in plan, plan
