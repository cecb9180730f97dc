"""Time `flask alerts send` (the queueing part) against many old items and a few new ones.

Seeds ``n`` warnings (+ translations, guides and enforcement results) through the list
benchmark's seeder, then ``--subscriptions`` confirmed subscriptions with assorted filters, then
a few new public items, and times one immediate run and one run with nothing new. A run's cost
must follow the new items and the subscriptions, not the ``n`` old items: compare the columns.

    python bench/alerts_bench.py 1000 100000 --subscriptions 200
"""
from __future__ import annotations

import argparse
import logging
import secrets
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.list_queries_bench import seed  # noqa: E402
from portal import create_app  # noqa: E402
from portal.alerts import selection, sending  # noqa: E402
from portal.alerts.models import AlertSubscription  # noqa: E402
from portal.content.models import Sanction, Warning  # noqa: E402
from portal.extensions import db  # noqa: E402

FILTERS = [("warnings", {}), ("warnings", {"category": ["toys"]}), ("warnings", {"hazard": ["drowning"]}),
           ("warnings", {"risk_level": ["serious"], "category": ["electrical"]}), ("warnings", {"status": ["withdrawn"]}),
           ("sanctions", {}), ("sanctions", {"online": ["1"]})]


def subscribe(count: int, confirmed: datetime) -> None:
    rows = []
    for i in range(count):
        list_kind, params = FILTERS[i % len(FILTERS)]
        rows.append(dict(address=f"nguoi{i}@example.vn", address_hash=f"{i:064d}", list_kind=list_kind, params=params,
                         params_hash=selection.params_hash(list_kind, params), lang="en" if i % 5 == 0 else "vi",
                         frequency="immediate", status="active", created_at=confirmed, confirmed_at=confirmed,
                         cursor_at=confirmed, confirm_nonce="n", unsubscribe_token=secrets.token_urlsafe(32)))
    db.session.execute(sa.insert(AlertSubscription), rows)
    db.session.commit()


def publish_new(n: int, now: datetime) -> None:
    at = now - timedelta(minutes=1)
    base = dict(lang="vi", summary="Sản phẩm có nguy cơ gây hại.", body="Mô tả.", tags=[], images=[],
                published_at=at, content_updated_at=at, created_at=at, updated_at=at, barcodes=[], batches=[],
                measures=[], status="published", source_authority="EU Safety Gate")
    db.session.execute(sa.insert(Warning), [
        dict(base, id=10 * n + i, slug=f"moi-{i}", title=f"Cảnh báo mới {i}", product_name=f"Sản phẩm mới {i}",
             category=["toys", "electrical", "food"][i % 3], risk_level="serious",
             hazards=["drowning"] if i == 0 else ["choking"]) for i in range(6)])
    db.session.execute(sa.insert(Sanction), [
        dict(id=10 * n + i, slug=f"xu-phat-moi-{i}", lang="vi", title=f"Xử phạt mới {i}", summary="", body="Chi tiết.",
             tags=[], images=[], status="published", published_at=at, published_from=at,
             published_until=now + timedelta(days=30), content_updated_at=at, created_at=at, updated_at=at,
             subject_name=f"Công ty mới {i}", subject_kind="enterprise", violation="Vi phạm.",
             decision_number=f"M{i}/QĐ-XPHC", decision_date=now.date(), decision_authority="Sở Công Thương Hải Phòng",
             violation_kind="other", online=True) for i in range(2)])
    db.session.commit()


def timed_run(now: datetime) -> tuple[float, int, sending.SendReport]:
    statements = {"n": 0}

    def count(*_args) -> None:
        statements["n"] += 1

    sa.event.listen(db.engine, "before_cursor_execute", count)
    started = time.perf_counter()
    report = sending.send("immediate", now)
    elapsed = time.perf_counter() - started
    sa.event.remove(db.engine, "before_cursor_execute", count)
    return elapsed, statements["n"], report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 100000])
    parser.add_argument("--subscriptions", type=int, default=200)
    args = parser.parse_args()
    results = {}
    for n in args.sizes:
        with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as folder:
            app = create_app({"INSTANCE_PATH": folder, "SECRET_KEY": "bench",
                              "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3",
                              "SEARCH_INDEX_DIR": f"{folder}/index", "SEARCH_FOLLOW": False,
                              "PORTAL_BASE_URL": "https://tieudung.haiphong.example.vn"})
            with app.app_context():
                from flask_migrate import upgrade
                upgrade()
                logging.getLogger("alembic").setLevel(logging.WARNING)
                seed(n)
                now = datetime.now(timezone.utc)
                subscribe(args.subscriptions, now - timedelta(minutes=30))
                publish_new(n, now)
                first = timed_run(now + timedelta(seconds=1))
                second = timed_run(now + timedelta(minutes=5))
                results[n] = (first, second)
                db.session.remove()
                db.engine.dispose()
    print(f"SQLite; {args.subscriptions} subscriptions; load average: {open('/proc/loadavg').read().split()[:3]}")
    print(f"{'':36}" + "".join(f"{f'{n} old items':>30}" for n in args.sizes))
    print(f"{'':36}" + "".join(f"{'s  statements  messages':>30}" for _ in args.sizes))
    for label, index in (("run with 8 new items", 0), ("next run, nothing new", 1)):
        print(f"{label:36}" + "".join(
            f"{results[n][index][0]:>12.2f} {results[n][index][1]:>11} {results[n][index][2].messages:>9}"
            for n in args.sizes))


if __name__ == "__main__":
    main()
