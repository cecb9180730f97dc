"""Time the public pages, feeds and API lists with many rows (in-process, SQLite).

A quick check of the list and language queries, not the full pages benchmark: it seeds rows
straight through the models (fast), then asks each URL a few times through the test client
and prints the median time and the SQL statements per request.

It first times each list filter's query and capped count alone (queries.paginate, page 1;
rare values are one warning in a hundred), then the pages (the page cache is off).

    python bench/list_queries_bench.py 100 10000 100000 --queries-only
    python bench/list_queries_bench.py 100 10000 100000 --queries-only --database postgresql://postgres@127.0.0.1:55437/postgres
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import logging  # noqa: E402

from portal import create_app  # noqa: E402
from portal.content.models import Article, Campaign, Sanction, Warning  # noqa: E402
from portal.extensions import db  # noqa: E402

URLS = ["/", "/en/", "/canh-bao", "/en/warnings", "/canh-bao?page=50", "/en/warnings?page=50",
        "/canh-bao?category=toys&risk_level=serious", "/en/warnings?category=toys", "/huong-dan", "/en/guides",
        "/xu-ly-vi-pham", "/en/enforcement", "/canh-bao/canh-bao-1", "/en/warnings/warning-en-10",
        "/feeds/warnings.atom", "/en/feeds/warnings.atom", "/feeds/all.atom", "/en/feeds/all.rss",
        "/api/v1/warnings", "/api/v1/warnings?page=50", "/api/v1/warnings?lang=en", "/api/v1/warnings/1",
        # Filters on rare values (one warning in a hundred): each must cost the page, not the table.
        "/canh-bao?hazard=drowning", "/en/warnings?hazard=drowning", "/canh-bao?hazard=choking",
        "/canh-bao?hazard=drowning,fire", "/canh-bao?source=domestic", "/canh-bao?source=us-cpsc",
        "/canh-bao?status=withdrawn", "/canh-bao?status=active", "/canh-bao?category=cosmetics",
        "/canh-bao?risk_level=low", f"/canh-bao?date_from={date.today() - timedelta(days=10)}&date_to={date.today() - timedelta(days=10)}",
        "/api/v1/warnings?hazard=drowning", "/api/v1/warnings?source=domestic",
        "/feeds/warnings.atom?hazard=drowning", "/huong-dan?tag=15-3", "/api/v1/articles?tag=lua-dao",
        "/canh-bao?tag=15-3", "/en/warnings?tag=15-3", "/api/v1/warnings?tag=15-3", "/feeds/warnings.atom?tag=15-3",
        "/ngay-quyen-cua-nguoi-tieu-dung", "/feeds/campaign.atom",
        "/xu-ly-vi-pham?violation_kind=counterfeit", "/xu-ly-vi-pham?authority=UBND%20x%C3%A3%20A",
        "/xu-ly-vi-pham?year=2025", "/xu-ly-vi-pham?online=0",
        # Feed filters without an index in change order (queries.FEW decides how they are read).
        "/feeds/warnings.atom?hazard=choking", "/feeds/warnings.atom?category=toys,food",
        "/feeds/warnings.atom?hazard=drowning,fire", "/feeds/sanctions.rss?year=2026", "/feeds/sanctions.rss?year=2025",
        "/sitemap.xml", "/sitemaps/warnings-0.xml"]
# The list query and its capped count alone (queries.paginate, page 1, Vietnamese), per filter:
# what the database pays, without the template around it.
FILTERS = [("warnings", ""), ("warnings", "hazard=drowning"), ("warnings", "hazard=choking"),
           ("warnings", "hazard=drowning,fire"), ("warnings", "source=domestic"), ("warnings", "source=us-cpsc"),
           ("warnings", "status=withdrawn"), ("warnings", "status=active"), ("warnings", "category=cosmetics"),
           ("warnings", "risk_level=low"), ("warnings", "category=toys&risk_level=serious"),
           ("warnings", f"date_from={date.today() - timedelta(days=10)}&date_to={date.today() - timedelta(days=10)}"),
           ("warnings", "date_from=2024-01-01&date_to=2024-01-31"),
           ("articles", "tag=15-3"), ("articles", "tag=lua-dao"), ("warnings", "tag=15-3"), ("articles", "kind=news"),
           ("sanctions", "violation_kind=counterfeit"), ("sanctions", "authority=UBND xã A"),
           ("sanctions", "year=2025"), ("sanctions", "online=0")]
CATEGORIES = ["toys", "electrical", "cosmetics", "food", "childcare", "clothing"]
RISKS = ["serious", "high", "medium", "low"]


def seed(n: int) -> None:
    """``n`` warnings in Vietnamese (one in ten with an English translation), n/20 guides, n/20 sanctions."""
    now = datetime.now(timezone.utc)
    rows, translations = [], []
    for i in range(1, n + 1):
        at = now - timedelta(minutes=7 * i)
        rows.append(dict(id=i, slug=f"canh-bao-{i}", lang="vi", title=f"Cảnh báo sản phẩm số {i}",
                         summary="Sản phẩm có nguy cơ gây hại.", body="Mô tả mối nguy. " * 20,
                         tags=["15-3"] if i % 100 == 12 else [], images=[],
                         published_at=at, content_updated_at=at, created_at=at, updated_at=now,
                         product_name=f"Đồ chơi {i}", category=CATEGORIES[i % 6], risk_level=RISKS[i % 4],
                         hazards=["drowning"] if i % 100 == 7 else ["choking", "fire"] if i % 100 == 8 else ["choking"],
                         barcodes=["8931234567890"], batches=[], measures=[],
                         status="withdrawn" if i % 100 == 9 else "published",
                         source_authority="Cục Quản lý cạnh tranh" if i % 100 == 3 else
                         "US CPSC" if i % 100 == 4 else "EU Safety Gate", source_reference=f"A12/{i:06d}/26"))
        if i % 10 == 0:
            translations.append(dict(rows[-1], id=n + i, slug=f"warning-en-{i}", lang="en", title=f"Warning {i}",
                                     translation_of_id=i))
    db.session.execute(sa.insert(Warning), rows)
    db.session.execute(sa.insert(Warning), translations)
    articles = [dict(id=i, slug=f"huong-dan-{i}", lang="vi" if i % 3 else "en", title=f"Hướng dẫn {i}",
                     summary="Tóm tắt.", body="Nội dung. " * 20, tags=["15-3"] if i == 5 else ["lua-dao"] if i % 100 == 11 else ["khieu-nai"],
                     images=[],
                     status="published", published_at=now - timedelta(hours=i), kind="news" if i % 4 == 0 else "guide",
                     content_updated_at=now - timedelta(hours=i), created_at=now, updated_at=now)
                for i in range(1, n // 20 + 1)]
    db.session.execute(sa.insert(Article), articles)
    sanctions = [dict(id=i, slug=f"xu-phat-{i}", lang="vi", title=f"Xử phạt {i}", summary="", body="Chi tiết.",
                      tags=[], images=[], status="published", published_at=now - timedelta(days=i % 60),
                      published_from=now - timedelta(days=i % 60), published_until=now + timedelta(days=30 - i % 60),
                      content_updated_at=now - timedelta(days=i % 60), created_at=now, updated_at=now,
                      subject_name=f"Công ty {i}", subject_kind="enterprise", violation="Vi phạm.",
                      decision_number=f"{i}/QĐ-XPHC", decision_date=date(2025 if i % 100 == 1 else 2026, 1 + i % 11, 1 + i % 27),
                      decision_authority="UBND xã A" if i % 100 == 5 else "Sở Công Thương Hải Phòng",
                      violation_kind="counterfeit" if i % 100 == 6 else "other", online=i % 100 != 2)
                 for i in range(1, n // 20 + 1)]
    db.session.execute(sa.insert(Sanction), sanctions)
    data = {"type": "campaign", "slug": "ngay-15-3", "year": now.year + 1, "tag": "15-3",
            "starts_on": f"{now.year + 1}-03-01", "ends_on": f"{now.year + 1}-03-15",
            "title": {"vi": "Ngày 15/3", "en": "15 March"}, "theme": {"vi": "", "en": ""},
            "intro": {"vi": "", "en": ""}, "events": [], "leaflet": []}
    db.session.execute(sa.insert(Campaign), [dict(slug="ngay-15-3", tag="15-3", data=data, updated_at=now,
                                                   starts_on=date(now.year + 1, 3, 1), ends_on=date(now.year + 1, 3, 15))])
    db.session.commit()
    db.session.execute(sa.text("ANALYZE"))
    db.session.commit()


def measure(client, url: str, runs: int) -> tuple[float, int, int]:
    statements = []

    def count(*_args):
        statements.append(1)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        client.get(url).close()  # warm up
        statements.clear()
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            response = client.get(url)
            response.get_data()  # a streamed answer (sitemap file) is produced while it is read
            response.close()
            times.append(time.perf_counter() - start)
        return statistics.median(times) * 1000, len(statements) // runs, response.status_code
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)


def measure_query(kind: str, query_string: str, runs: int) -> tuple[float, int]:
    from urllib.parse import parse_qs

    from portal.content import queries
    from portal.content.models import utcnow

    args = {key: values[0] for key, values in parse_qs(query_string).items()}
    parse, build, model = {"warnings": (queries.parse_warning_filters, queries.public_warnings, Warning),
                           "articles": (queries.parse_article_filters, queries.public_articles, Article),
                           "sanctions": (queries.parse_sanction_filters, queries.public_sanctions, Sanction)}[kind]
    filters, errors = parse(args)
    assert not errors, errors
    times = []
    for _ in range(runs + 1):
        now = utcnow()
        start = time.perf_counter()
        page = queries.paginate(queries.prefer_language(build(filters, now), model, "vi", now), 1, 20)
        times.append(time.perf_counter() - start)
        db.session.rollback()
    return statistics.median(times[1:]) * 1000, page.total


def measure_sitemap_summary(runs: int) -> float:
    """The sitemap index's summary (built once per content generation), rebuilt each run."""
    from portal.content.models import utcnow
    from portal.feeds import sitemap

    times = []
    for run in range(runs + 1):
        sitemap._index_cache.clear()
        start = time.perf_counter()
        sitemap.summary(utcnow(), f"bench-{run}")
        times.append(time.perf_counter() - start)
        db.session.rollback()
    return statistics.median(times[1:]) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100, 10000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database", help="a PostgreSQL server URL (postgresql://user@host:port/db) to "
                        "create a throwaway database on, instead of a SQLite file")
    parser.add_argument("--queries-only", action="store_true", help="time the list queries, not the pages")
    args = parser.parse_args()
    results: dict[int, dict[str, tuple[float, int, int]]] = {}
    query_results: dict[int, dict[str, tuple[float, int]]] = {}
    for n in args.sizes:
        with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as folder:
            uri = f"sqlite:///{folder}/bench.sqlite3"
            if args.database:
                server = sa.create_engine(args.database.replace("postgresql://", "postgresql+psycopg://", 1),
                                          isolation_level="AUTOCOMMIT")
                with server.connect() as connection:
                    connection.execute(sa.text(f"DROP DATABASE IF EXISTS list_bench_{n}_{os.getpid()}"))
                    connection.execute(sa.text(f"CREATE DATABASE list_bench_{n}_{os.getpid()}"))
                uri = server.url.set(database=f"list_bench_{n}_{os.getpid()}").render_as_string(hide_password=False)
            app = create_app({"INSTANCE_PATH": folder, "SECRET_KEY": "bench",
                              "SQLALCHEMY_DATABASE_URI": uri,
                              "SEARCH_INDEX_DIR": f"{folder}/index", "SEARCH_FOLLOW": False,
                              "PAGE_CACHE_ENTRIES": 0})  # measure the queries, not the page cache
            with app.app_context():
                from flask_migrate import upgrade
                upgrade()
                logging.getLogger("alembic").setLevel(logging.WARNING)
                started = time.perf_counter()
                seed(n)
                print(f"seeded {n} warnings (+{n // 10} translations, {n // 20} guides, {n // 20} sanctions) "
                      f"in {time.perf_counter() - started:.1f} s", file=sys.stderr)
                client = app.test_client()
                query_results[n] = {f"{kind}?{query}": measure_query(kind, query, args.runs) for kind, query in FILTERS}
                query_results[n]["sitemap index summary (per generation)"] = (measure_sitemap_summary(args.runs), 0)
                if not args.queries_only:
                    results[n] = {url: measure(client, url, args.runs) for url in URLS}
                db.session.remove()
                db.engine.dispose()
            if args.database:
                with server.connect() as connection:
                    connection.execute(sa.text(f"DROP DATABASE list_bench_{n}_{os.getpid()}"))
                server.dispose()
    header = f"{'URL':48}" + "".join(f"{f'{n} items':>22}" for n in args.sizes)
    print(f"{'PostgreSQL' if args.database else 'SQLite'}; load average: {open('/proc/loadavg').read().split()[:3]}")
    print(f"{'list query + capped count (paginate, page 1)':48}" + "".join(f"{f'{n} items':>22}" for n in args.sizes))
    print(f"{'':48}" + "".join(f"{'ms  matches':>22}" for _ in args.sizes))
    for label in query_results[args.sizes[0]]:
        print(f"{label:48}" + "".join(f"{query_results[n][label][0]:>13.1f} {query_results[n][label][1]:>8}"
                                      for n in args.sizes))
    if args.queries_only:
        return
    print()
    print(header)
    print(f"{'':48}" + "".join(f"{'ms  stmts status':>22}" for _ in args.sizes))
    for url in URLS:
        cells = "".join(f"{results[n][url][0]:>10.1f} {results[n][url][1]:>5} {results[n][url][2]:>5}"
                        for n in args.sizes)
        print(f"{url:48}{cells}")


if __name__ == "__main__":
    main()
