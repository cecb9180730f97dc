"""The statistics page at 100,000 warnings: each chart's query, the whole page, and a cached answer.

A fresh database (SQLite in a temporary folder, or the PostgreSQL server DATABASE_URL names, whose
tables are emptied first) gets ``--warnings`` public warnings spread over three years (every tenth
with an English translation, some withdrawn, drafts and scheduled ones beside) and ``--sanctions``
enforcement results (a third of them outside their publication window), inserted in bulk. Then,
in this process: every chart's query for the newest year (median of ``--repeat`` runs), the
statistics page and one CSV rendered through the test client with the rendered-page cache off
(median, with SQL statements counted), and the same page answered from the rendered-page cache.
Nothing is asserted: the figures are printed, to compare side by side.

    python bench/statistics_bench.py [--warnings 100000] [--sanctions 10000] [--repeat 5]
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CATEGORIES = ("toys", "food", "electrical", "cosmetics", "childcare", "food-supplements", "clothing")
RISKS = ("serious", "high", "medium", "low", "unknown")
AUTHORITIES = ("EU Safety Gate", "US CPSC", "Cục Quản lý thị trường")
KINDS = ("counterfeit", "misleading-information", "trader-information", "warranty", "other")


def seed(db, Warning, Sanction, n_warnings: int, n_sanctions: int, chunk: int = 5000) -> None:
    now = datetime.now(timezone.utc)
    span = timedelta(days=3 * 365)
    rows = []
    for i in range(1, n_warnings + 1):
        at = now - span * (i / n_warnings)
        status = "withdrawn" if i % 31 == 0 else ("draft" if i % 97 == 0 else "published")
        if i % 211 == 0:
            at = now + timedelta(days=5)  # scheduled
        common = dict(summary="Tóm tắt.", body="Nội dung.", tags=[], images=[], status=status, published_at=at,
                      content_updated_at=at, created_at=at, updated_at=at)
        rows.append(dict(common, id=i, slug=f"w-{i}", lang="vi", title=f"Cảnh báo {i}", product_name=f"Sản phẩm {i}",
                         category=CATEGORIES[i % len(CATEGORIES)], risk_level=RISKS[i % len(RISKS)],
                         hazards=["choking"], barcodes=[], batches=[], measures=[],
                         source_authority=AUTHORITIES[i % len(AUTHORITIES)]))
        if i % 10 == 0:
            rows.append(dict(rows[-1], id=10_000_000 + i, slug=f"w-en-{i}", lang="en", title=f"Warning {i}",
                             translation_of_id=i))
        if len(rows) >= chunk:
            db.session.execute(sa.insert(Warning), rows)
            rows = []
    if rows:
        db.session.execute(sa.insert(Warning), rows)
    rows = []
    for i in range(1, n_sanctions + 1):
        at = now - timedelta(days=i % 25)
        until = now + (timedelta(days=-1) if i % 3 == 0 else timedelta(days=20))
        rows.append(dict(id=i, slug=f"s-{i}", lang="vi", title=f"Xử phạt {i}", summary="", body="", tags=[], images=[],
                         status="published", published_at=at, content_updated_at=at, created_at=at, updated_at=at,
                         published_from=at, published_until=until, subject_name=f"Công ty {i}",
                         subject_kind="enterprise", violation="Vi phạm.", violation_kind=KINDS[i % len(KINDS)],
                         decision_number=f"{i}/QĐ", decision_date=date(now.year, 1 + i % 12, 1 + i % 28),
                         decision_authority="Sở Công Thương Hải Phòng", fine_vnd=1_000_000 * (1 + i % 40),
                         online=bool(i % 2)))
    db.session.execute(sa.insert(Sanction), rows)
    db.session.commit()


def median_ms(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warnings", type=int, default=100_000)
    parser.add_argument("--sanctions", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database", help="a SQLite file to keep and reuse (seeded only when empty)")
    args = parser.parse_args()

    from flask_migrate import upgrade

    from portal import create_app
    from portal.content.models import Sanction, Warning, utcnow
    from portal.extensions import db
    from portal.statistics import sections

    folder = Path(tempfile.mkdtemp(prefix="stats-bench-"))
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{Path(args.database or folder / 'bench.db').resolve()}"
    app = create_app({"INSTANCE_PATH": str(folder / "instance"), "SQLALCHEMY_DATABASE_URI": url,
                      "SECRET_KEY": "bench", "SEARCH_INDEX_DIR": str(folder / "index"), "PAGE_CACHE_ENTRIES": 0})
    with app.app_context():
        upgrade(directory=str(ROOT / "portal" / "migrations"))
        if not args.database or not db.session.execute(sa.select(sa.func.count()).select_from(Warning)).scalar():
            for table in ("warning_hazard", "sanction", "warning"):
                db.session.execute(sa.text(f"DELETE FROM {table}"))
            db.session.commit()
            start = time.perf_counter()
            seed(db, Warning, Sanction, args.warnings, args.sanctions)
            print(f"seeded {args.warnings:,} warnings (+{args.warnings // 10:,} translations) and "
                  f"{args.sanctions:,} enforcement results in {time.perf_counter() - start:.1f} s")
        total = db.session.execute(sa.select(sa.func.count()).select_from(Warning)).scalar()
        print(f"database: {db.engine.dialect.name}, {total:,} warning rows")
        if db.engine.dialect.name == "postgresql":
            db.session.execute(sa.text("ANALYZE"))
            db.session.commit()
        now = utcnow()
        year = sections.available_years(now)[0]
        print(f"\nyear {year}; median of {args.repeat} runs, ms")
        print(f"{'query':38} {'ms':>8}")
        print(f"{'available years (all sections)':38} {median_ms(lambda: sections.available_years(now), args.repeat):8.1f}")
        for section in sections.SECTIONS:
            for chart in section.charts:
                ms = median_ms(lambda: chart.build(year, now, "vi"), args.repeat)
                print(f"{chart.key:38} {ms:8.1f}")

        client = app.test_client()
        counted: list[str] = []
        sa.event.listen(db.engine, "before_cursor_execute", lambda *a: counted.append(a[2]))
        print(f"\n{'request (page cache off)':38} {'ms':>8} {'SQL':>5} {'bytes':>8}")
        for path in ("/thong-ke", "/en/statistics", "/thong-ke/warnings-by-category.csv"):
            client.get(path)
            counted.clear()
            response = client.get(path)
            statements = len(counted)
            ms = median_ms(lambda: client.get(path), args.repeat)
            print(f"{path:38} {ms:8.1f} {statements:5d} {len(response.data):8d}")

    cached = create_app({"INSTANCE_PATH": str(folder / "instance"), "SQLALCHEMY_DATABASE_URI": url,
                         "SECRET_KEY": "bench", "SEARCH_INDEX_DIR": str(folder / "index"), "PAGE_CACHE_ENTRIES": 64})
    with cached.app_context():
        client = cached.test_client()
        client.get("/thong-ke")
        ms = median_ms(lambda: client.get("/thong-ke"), args.repeat)
        print(f"{'/thong-ke (page cache on, a hit)':38} {ms:8.1f}")
        db.engine.dispose()
    with app.app_context():
        db.engine.dispose()


if __name__ == "__main__":
    main()
