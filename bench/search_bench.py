"""Search benchmark: the portal's Whoosh search against SQLite FTS5 on the same corpus.

    .venv/bin/python bench/search_bench.py                 # 10k and 100k warnings
    .venv/bin/python bench/search_bench.py --sizes 10000   # 10k only

For each size: generates the corpus (bench/corpus.py), inserts it into a fresh portal
database, builds the index with ``flask search rebuild`` in a child process (wall time, CPU
time and peak resident memory of that process), builds the same records into SQLite FTS5 (``unicode61 remove_diacritics 2``), runs
the fixed mixed query set on both (warm-up pass, then measured passes), and prints build
time, index size, query p50/p95 (all and per kind) and the ratios. Then it measures how
long a newly published warning takes to become searchable with the outbox follower running.
Nothing here asserts a time: it prints figures.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
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


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def make_app(folder: Path):
    from flask_migrate import upgrade

    from portal import create_app
    from portal.extensions import db

    app = create_app({"INSTANCE_PATH": str(folder / "instance"), "SECRET_KEY": "bench", "TESTING": True,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'portal.sqlite3'}",
                      "SEARCH_INDEX_DIR": str(folder / "index")})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return app


def insert_warnings(records: list[corpus.Record]) -> None:
    """Insert the corpus as published warnings (bulk, straight into the table)."""
    from portal.content.models import Warning
    from portal.extensions import db

    now = datetime.now(timezone.utc)
    for start in range(0, len(records), 5000):
        rows = [dict(
            slug=r.slug, lang="vi", title=r.title, summary=r.summary, body=r.body, tags=[], images=[],
            status="published", published_at=r.published_at, created_at=now, updated_at=now, version=1,
            has_unpublished_changes=False, product_name=r.product, brand=r.brand, model="", barcodes=[r.barcode],
            batches=[r.batch], production_dates="", category=r.category, hazards=[r.hazard], risk_level=r.risk,
            what_to_do="Ngừng sử dụng sản phẩm.", measures=[], manufacturer="", importer="", seller="",
            origin_country=r.origin, units="", source_authority=r.authority, source_reference=r.reference,
            source_url="", source_language="vi", withdrawn_reason="", change_note="",
        ) for r in records[start:start + 5000]]
        db.session.execute(sa.insert(Warning), rows)
        db.session.commit()


def cli_rebuild(folder: Path) -> dict[str, float]:
    """``flask search rebuild`` in a child process: wall time, CPU time and peak memory (RSS)."""
    import resource
    import subprocess

    env = dict(os.environ, DATABASE_URL=f"sqlite:///{folder / 'portal.sqlite3'}",
               SEARCH_INDEX_DIR=str(folder / "index"), PORTAL_INSTANCE=str(folder / "instance"))
    flask = Path(sys.executable).with_name("flask")
    command = [str(flask), "--app", "portal", "search", "rebuild"] if flask.exists() else \
        [sys.executable, "-m", "flask", "--app", "portal", "search", "rebuild"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    # ru_maxrss (KiB on Linux) is the largest child so far: the rebuild is the first big one.
    return {"whoosh_build": wall, "whoosh_cpu": cpu, "whoosh_rss": after.ru_maxrss * 1024}


def build_fts(records: list[corpus.Record], path: Path) -> float:
    began = time.perf_counter()
    con = sqlite3.connect(path)
    con.execute("CREATE VIRTUAL TABLE fts USING fts5(title, body, tokenize='unicode61 remove_diacritics 2')")
    con.execute("CREATE TABLE meta (rowid INTEGER PRIMARY KEY, category TEXT, published TEXT)")
    con.executemany("INSERT INTO fts(rowid, title, body) VALUES (?, ?, ?)", (
        (r.n + 1, r.title, " ".join((r.summary, r.body, r.product, r.brand, r.barcode, r.batch, r.reference)))
        for r in records))
    con.executemany("INSERT INTO meta VALUES (?, ?, ?)",
                    ((r.n + 1, r.category, r.published_at.isoformat()) for r in records))
    con.execute("CREATE INDEX meta_category ON meta(category)")
    con.commit()
    con.close()
    return time.perf_counter() - began


def fts_match(q: str) -> str:
    """The FTS5 form of a query: quoted phrases kept, other words quoted and ANDed."""
    import re

    parts = [f'"{p}"' for p in re.findall(r'"([^"]+)"', q)]
    rest = re.sub(r'"[^"]*"', " ", q)
    parts += [f'"{w}"' for w in re.findall(r"\w+", rest)]
    return " ".join(parts)


def run_fts(con: sqlite3.Connection, query: dict) -> int:
    """Total and one ranked page with snippets, in the fastest SQL forms found for FTS5."""
    match = fts_match(query["q"])
    offset = (query.get("page", 1) - 1) * 10
    snippet = "snippet(fts, 1, '<mark>', '</mark>', '…', 32)"
    if "category" in query:
        total = con.execute("SELECT count(*) FROM meta WHERE category = ? AND rowid IN "
                            "(SELECT rowid FROM fts WHERE fts MATCH ?)", (query["category"], match)).fetchone()[0]
        con.execute(f"SELECT fts.rowid, title, {snippet} FROM fts JOIN meta ON meta.rowid = fts.rowid "
                    "WHERE fts MATCH ? AND meta.category = ? ORDER BY rank LIMIT 10 OFFSET ?",
                    (match, query["category"], offset)).fetchall()
        return total
    total = con.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", (match,)).fetchone()[0]
    con.execute(f"SELECT rowid, title, {snippet} FROM fts WHERE fts MATCH ? ORDER BY rank LIMIT 10 OFFSET ?",
                (match, offset)).fetchall()
    return total


def run_portal(query: dict) -> int:
    from portal.search.query import SearchRequest
    from portal.search.service import run_search

    request = SearchRequest(q=query["q"], page=query.get("page", 1), per_page=10,
                            kind="warning" if "category" in query else None,
                            category=[query["category"]] if "category" in query else [])
    return run_search(request).total


def measure(run, queries: list[dict], passes: int) -> tuple[list[float], dict[str, list[float]], list[int], list[float]]:
    """(times of the measured passes, the same by query kind, the last pass's totals, times of
    the first, warm-up pass: a process's first searches, before its caches hold anything)."""
    cold: list[float] = []
    for query in queries:  # warm-up
        began = time.perf_counter()
        run(query)
        cold.append((time.perf_counter() - began) * 1000)
    times: list[float] = []
    kinds: dict[str, list[float]] = {}
    totals: list[int] = []
    for _ in range(passes):
        totals = []
        for query in queries:
            began = time.perf_counter()
            totals.append(run(query))
            elapsed = (time.perf_counter() - began) * 1000
            times.append(elapsed)
            kinds.setdefault(query["kind"], []).append(elapsed)
    return times, kinds, totals, cold


def publish_latency(app, rounds: int = 5) -> list[float]:
    """Seconds from the commit of a new warning until a search finds it (follower running)."""
    from portal.search.query import SearchRequest
    from portal.search.service import run_search, state
    from tests.factories import create, warning_data

    follower = state(app).follower
    follower.start()
    deadline = time.time() + 600
    while not follower.leader and time.time() < deadline:
        time.sleep(0.05)
    run_search(SearchRequest(q="warmup"))
    latencies = []
    for n in range(rounds):
        word = f"benchpublish{n}x{os.getpid()}"
        create(warning_data(title=f"Cảnh báo {word} nồi cơm điện", slug=f"bench-publish-{n}-{os.getpid()}"))
        began = time.perf_counter()
        # suggest=False: a search finding nothing would otherwise spend its time on "did you
        # mean" corrections, measuring the correction rather than the index's follow-up.
        while run_search(SearchRequest(q=word, suggest=False)).total == 0:
            if time.perf_counter() - began > 30:
                break
            time.sleep(0.01)
        latencies.append(time.perf_counter() - began)
        time.sleep(0.5)
    follower.stop()
    return latencies


def bench_size(size: int, passes: int, work: Path | None, publish: bool = True) -> None:
    """Build (or reuse, with --work) both indexes for ``size`` warnings and measure them."""
    import json

    folder = (work / str(size)) if work else Path(tempfile.mkdtemp(prefix=f"search-bench-{size}-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\n=== {size:,} warnings (work folder {folder}) ===", flush=True)
    records = corpus.generate(size)
    queries = corpus.queries(records)
    built = folder / "build.json"
    fts_path = folder / "fts.sqlite3"
    from portal.extensions import db
    from portal.search import service

    if built.exists():
        figures = json.loads(built.read_text())
        app = make_app(folder)
        print("reusing the indexes built earlier in this folder", flush=True)
    else:
        app = make_app(folder)
        figures = {}
        with app.app_context():
            began = time.perf_counter()
            insert_warnings(records)
            print(f"database insert: {time.perf_counter() - began:.1f} s", flush=True)
            db.session.remove()
            db.engine.dispose()
        figures.update(cli_rebuild(folder))
        with app.app_context():
            figures["whoosh_size"] = dir_size(service.state().store.current())
            print(f"whoosh build: {figures['whoosh_build']:.1f} s ({figures['whoosh_cpu']:.1f} s CPU), "
                  f"peak memory {figures['whoosh_rss'] / 1e6:.1f} MB, size {figures['whoosh_size'] / 1e6:.1f} MB",
                  flush=True)
        figures["fts_build"] = build_fts(records, fts_path)
        figures["fts_size"] = fts_path.stat().st_size
        print(f"fts5 build: {figures['fts_build']:.1f} s, size {figures['fts_size'] / 1e6:.1f} MB", flush=True)
        built.write_text(json.dumps(figures))
    whoosh_build, whoosh_size = figures["whoosh_build"], figures["whoosh_size"]
    fts_build, fts_size = figures["fts_build"], figures["fts_size"]

    con = sqlite3.connect(fts_path)
    fts_times, fts_kinds, fts_totals, fts_cold = measure(lambda q: run_fts(con, q), queries, passes)
    with app.app_context():
        service.state().pool.close()  # a process's first searches: nothing cached yet
        portal_times, portal_kinds, portal_totals, portal_cold = measure(run_portal, queries, passes)
        cache = service.state().pool.segment_cache
        stored = sum(1 for key in cache._sets if key[1] == "")  # stored-field dicts (SegmentCache.stored)
        cached = (len(cache._sets) - stored, stored, cache._held / 1e6, cache.budget / 1e6)
        latencies = publish_latency(app) if publish else [float("nan")]
        db.session.remove()
    same = sum(1 for a, b in zip(portal_totals, fts_totals) if a == b)

    print(f"\n{'':24}{'portal (whoosh)':>18}{'fts5':>12}{'ratio':>9}")
    print(f"{'build (s)':24}{whoosh_build:>18.1f}{fts_build:>12.1f}{whoosh_build / fts_build:>8.1f}×")
    if "whoosh_rss" in figures:
        print(f"{'build CPU (s)':24}{figures['whoosh_cpu']:>18.1f}")
        print(f"{'build peak memory (MB)':24}{figures['whoosh_rss'] / 1e6:>18.1f}")
    print(f"{'size (MB)':24}{whoosh_size / 1e6:>18.1f}{fts_size / 1e6:>12.1f}{whoosh_size / fts_size:>8.1f}×")
    for label, q in (("query p50 (ms)", 0.5), ("query p95 (ms)", 0.95)):
        a, b = pct(portal_times, q), pct(fts_times, q)
        print(f"{label:24}{a:>18.1f}{b:>12.1f}{a / b:>8.1f}×")
    a, b = pct(portal_cold, 0.95), pct(fts_cold, 0.95)
    print(f"{'first pass p95 (ms)':24}{a:>18.1f}{b:>12.1f}{a / b:>8.1f}×   (caches empty at its start)")
    print("per kind p95 (ms):")
    for kind in portal_kinds:
        a, b = pct(portal_kinds[kind], 0.95), pct(fts_kinds[kind], 0.95)
        print(f"  {kind:22}{a:>18.1f}{b:>12.1f}{a / b:>8.1f}×")
    print(f"same total as FTS5 for {same} of {len(queries)} queries (differences: pairs as compounds, đ folding)")
    print(f"search cache after the passes: {cached[0]:,} term sets and {cached[1]:,} documents' stored fields, "
          f"{cached[2]:.1f} MB of {cached[3]:.0f} MB")
    print("publish → searchable (s): " + ", ".join(f"{x:.2f}" for x in latencies)
          + f"; median {statistics.median(latencies):.2f}, max {max(latencies):.2f}", flush=True)
    if work is None:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--passes", type=int, default=2, help="measured passes over the query set")
    parser.add_argument("--work", type=Path, help="keep the built indexes under this directory and reuse "
                        "them on the next run (query figures only; build figures are those recorded)")
    parser.add_argument("--no-publish", action="store_true", help="skip the publish-latency measurement")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    for size in args.sizes:
        bench_size(size, args.passes, args.work, not args.no_publish)


if __name__ == "__main__":
    main()
