"""Backup benchmark: ``flask backup create`` and ``flask backup restore`` on the bundled content
and on a larger synthetic set, timed as the commands run, with their peak memory and file size.

    .venv/bin/python bench/backup_bench.py                       # bundled content, then 10k warnings
    .venv/bin/python bench/backup_bench.py --sizes 0 100000      # 0 = bundled content only
    .venv/bin/python bench/backup_bench.py --postgres postgresql://user@host:port/db

Each size: a fresh SQLite portal is filled (bundled content, or N synthetic warnings from
bench/corpus.py, each with a revision, an audit entry and an outbox row, as the services write
them), then the real CLI is run in a child process: ``backup create``, ``backup restore`` into
an empty SQLite database and, with ``--postgres``, into a new empty schema on that server (dropped
afterwards). Printed: wall time, the child's peak resident memory, the file size, and what the
restore command says (rows restore and search rebuild apart). Nothing is asserted.
"""
from __future__ import annotations

import argparse
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import sqlalchemy as sa  # noqa: E402

import corpus  # noqa: E402
from search_bench import insert_warnings, make_app  # noqa: E402

FLASK = [sys.executable, "-m", "flask", "--app", "portal"]


def fill(app, size: int) -> None:
    from portal.content.loader import load_paths
    from portal.content.models import AuditEntry, Revision, SearchOutbox, Warning
    from portal.extensions import db

    with app.app_context():
        if size == 0:
            load_paths([ROOT / "content"])
            return
        records = corpus.generate(size)
        insert_warnings(records)
        now = datetime.now(timezone.utc)
        ids = db.session.execute(sa.select(Warning.id, Warning.slug).order_by(Warning.id)).all()
        by_slug = {record.slug: record for record in records}
        for start in range(0, len(ids), 5000):
            chunk = ids[start:start + 5000]
            revisions = [{"item_type": "warning", "item_id": item_id, "version": 1, "action": "load", "note": "",
                          "created_at": now, "data": {"type": "warning", "slug": slug, "title": by_slug[slug].title,
                                                      "summary": by_slug[slug].summary, "body": by_slug[slug].body,
                                                      "category": by_slug[slug].category}}
                         for item_id, slug in chunk]
            db.session.execute(sa.insert(Revision), revisions)
            db.session.execute(sa.insert(AuditEntry), [
                {"at": now, "actor_label": "cli", "action": "load", "item_type": "warning", "item_id": item_id,
                 "detail": {"slug": slug}, "remote_addr": ""} for item_id, slug in chunk])
            db.session.execute(sa.insert(SearchOutbox), [
                {"item_type": "warning", "item_id": item_id, "op": "upsert", "created_at": now}
                for item_id, _slug in chunk])
            db.session.commit()
        db.engine.dispose()


def run(args: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    """Run a CLI command; returns wall seconds, the child's peak RSS in MB, and its last line."""
    started = time.monotonic()
    child = subprocess.Popen([*FLASK, *args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True)
    output = child.stdout.read()
    _pid, status, usage = os.wait4(child.pid, 0)
    elapsed = time.monotonic() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(args)} failed: {output}")
    return elapsed, usage.ru_maxrss // 1024, output.strip().splitlines()[-1]


def environment(folder: Path, uri: str) -> dict[str, str]:
    return {**os.environ, "PORTAL_INSTANCE": str(folder / "instance"), "DATABASE_URL": uri,
            "PORTAL_MEDIA_DIR": str(folder / "media"), "SEARCH_INDEX_DIR": str(folder / "index"),
            "SECRET_KEY": "bench"}


def postgres_schema(server: str) -> tuple[str, callable]:
    url = sa.make_url(server).set(drivername="postgresql+psycopg")
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    schema = f"backup_bench_{secrets.token_hex(4)}"
    with engine.connect() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')

    def drop() -> None:
        with engine.connect() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        engine.dispose()

    return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False), drop


def bench_size(size: int, postgres: str | None) -> None:
    folder = Path(tempfile.mkdtemp(prefix="backup-bench-"))
    try:
        label = "bundled content" if size == 0 else f"{size:,} warnings"
        app = make_app(folder / "source")
        started = time.monotonic()
        fill(app, size)
        print(f"\n== {label} (filled in {time.monotonic() - started:.1f} s)")
        source = environment(folder / "source", f"sqlite:///{folder / 'source' / 'portal.sqlite3'}")
        file = folder / "portal.zip"
        seconds, rss, line = run(["backup", "create", str(file)], source)
        print(f"backup create            {seconds:7.1f} s  peak {rss:5d} MB  file {file.stat().st_size / 1e6:8.1f} MB")
        print(f"  {line}")
        targets = [("SQLite", environment(folder / "sqlite", f"sqlite:///{folder / 'sqlite.sqlite3'}"), None)]
        if postgres:
            uri, drop = postgres_schema(postgres)
            targets.append(("PostgreSQL", environment(folder / "postgresql", uri), drop))
        for name, env, drop in targets:
            try:
                seconds, rss, line = run(["backup", "restore", str(file)], env)
                print(f"backup restore → {name:10s} {seconds:7.1f} s  peak {rss:5d} MB")
                print(f"  {line}")
            finally:
                if drop:
                    drop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[0, 10_000],
                        help="0 = the bundled content; N = N synthetic warnings")
    parser.add_argument("--postgres", help="also restore into a new schema on this PostgreSQL server")
    args = parser.parse_args()
    for size in args.sizes:
        bench_size(size, args.postgres)


if __name__ == "__main__":
    main()
