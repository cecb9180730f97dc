"""Every public URL family over real HTTP at the bundled size, 10,000 and 100,000 items (issue 8, item 7).

For each size: a fresh SQLite database gets the bundled content and generated items through the
content loader (warnings in Vietnamese and English with linked translations, some withdrawn or
scheduled; guides and news with translations; enforcement results inside, before and after their
publication window), optionally the search index, and is served by a werkzeug server in a
subprocess on 127.0.0.1 (a database kept with ``--work`` is first upgraded to the newest
migration). Each URL is requested once to warm up, then timed ``--repeat`` times (the heavy
ones — exports and sitemap files — once); the table gives the median, its ratio to the bundled
size, the SQL statements the server ran for the request (counted in the server with
a SQLAlchemy event, streamed bodies included), the status and the size. Conditional requests
send the validators of a first answer. Exports' and sitemap files' memory is measured in this
process with tracemalloc while their streamed bodies are read, and the server's peak RSS is shown.

    python bench/pages_bench.py --sizes bundled 10000 100000 [--repeat 5] [--no-search-build]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VN = timezone(timedelta(hours=7))
HEAVY = ("export", "sitemap file")
LOAD_CHUNK = 5000  # documents per loader call (one transaction each)


# ---------------------------------------------------------------- content

def _iso(moment: datetime) -> str:
    return moment.astimezone(VN).isoformat(timespec="seconds")


def documents(count: int, seed: int = 2026):
    """``count`` generated content dicts in the content-file format, originals before translations."""
    import corpus

    rng = random.Random(seed)
    now = datetime.now(timezone.utc)
    n_articles, n_sanctions = count // 10, count // 10
    n_warnings = count - n_articles - n_sanctions
    records = corpus.generate(n_warnings, seed)
    previous_vi = None  # the last Vietnamese original, which a translation may follow
    for r in records:
        data = {
            "type": "warning", "slug": f"bench-w-{r.n}", "title": r.title, "lang": "vi",
            "published_at": _iso(r.published_at), "summary": r.summary, "body": r.body,
            "category": r.category, "hazards": [r.hazard], "risk_level": r.risk,
            "product": {"name": r.product, "brand": r.brand, "barcodes": [r.barcode], "batches": [r.batch],
                        "origin_country": r.origin},
            "what_to_do": "Ngừng sử dụng sản phẩm và liên hệ nơi bán để được hoàn tiền.",
            "measures": [{"type": "recall", "kind": "voluntary", "by": r.brand}],
            "source": {"authority": r.authority, "reference": r.reference, "url": "https://example.org/canh-bao",
                       "language": "vi"},
        }
        roll = rng.random()
        if roll < 0.10 and previous_vi:  # an English translation of the previous Vietnamese warning
            data.update(lang="en", title=f"Recall: {r.product} by {r.brand}", translation_of=previous_vi,
                        summary="Consumers should stop using the product.")
            previous_vi = None
        elif roll < 0.15:  # a foreign alert relayed in English only
            data.update(lang="en", title=f"Alert: {r.brand} product withdrawn", summary="Relayed foreign alert.")
        elif roll < 0.18:
            data.update(status="withdrawn", withdrawn_reason="Nhà sản xuất đã khắc phục lỗi.")
        elif roll < 0.19:  # scheduled
            data["published_at"] = _iso(now + timedelta(days=rng.randint(1, 30)))
        if data["lang"] == "vi":
            previous_vi = data["slug"]
        yield data
    for n in range(n_articles):
        published = now - timedelta(days=rng.randint(1, 1000), minutes=rng.randint(0, 1440))
        data = {"type": "article", "slug": f"bench-a-{n}", "title": f"Hướng dẫn người tiêu dùng số {n}",
                "lang": "vi", "published_at": _iso(published), "kind": "guide" if n % 3 else "news",
                "summary": "Quyền lợi của người tiêu dùng khi mua hàng.",
                "body": "Người tiêu dùng có quyền được cung cấp thông tin đầy đủ về hàng hóa. " * 20,
                "tags": ["huong-dan"]}
        if n % 5 == 1:
            data.update(lang="en", title=f"Consumer guide {n}", translation_of=f"bench-a-{n - 1}",
                        summary="Your rights when you buy.", body="Consumers have the right to information. " * 20)
        yield data
    for n in range(n_sanctions):
        decided = now - timedelta(days=rng.randint(1, 400))
        window = n % 4  # 0, 1: inside the window; 2: over; 3: not open yet
        start = {0: now - timedelta(days=5), 1: now - timedelta(days=20), 2: now - timedelta(days=90),
                 3: now + timedelta(days=3)}[window]
        yield {"type": "sanction", "slug": f"bench-s-{n}", "title": f"Xử phạt cơ sở kinh doanh số {n}",
               "lang": "vi", "published_at": _iso(min(start, now - timedelta(days=1))),
               "published_from": _iso(start), "published_until": _iso(start + timedelta(days=30)),
               "summary": "Kết quả xử lý vi phạm hành chính.", "body": "Chi tiết quyết định xử phạt.",
               "subject": {"name": f"Công ty TNHH Thương mại {n}", "kind": "enterprise",
                           "tax_code": f"02{n:08d}", "address": "Số 1 đường Lạch Tray", "ward": "Phường Lê Chân"},
               "violation": "Kinh doanh hàng hóa không rõ nguồn gốc xuất xứ.",
               "decision": {"number": f"{n}/QĐ-XPHC", "date": decided.date().isoformat(),
                            "authority": "Chi cục Quản lý thị trường Hải Phòng"},
               "fine_vnd": 5_000_000 + 500_000 * (n % 30), "online": n % 2 == 0, "demo": True}


def build(folder: Path, size: int | None, search: bool) -> dict[str, float]:
    """Create the database in ``folder`` and load the content; returns timings of the steps."""
    from flask_migrate import upgrade

    from portal.content.loader import load_documents, load_paths
    from portal.extensions import db

    app = make_app(folder)
    timings = {}
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        report = load_paths([ROOT / "content"], label="bench")
        bundled = len(report.created)
        if size:
            batch = []
            for number, data in enumerate(documents(max(0, size - bundled)), start=1):
                batch.append((f"generated #{number}", data))
                if len(batch) == LOAD_CHUNK:
                    load_documents(batch, label="bench")
                    batch = []
                    print(f"  loaded {number + bundled} items ({time.perf_counter() - started:.0f} s)", flush=True)
            if batch:
                load_documents(batch, label="bench")
        timings["load"] = time.perf_counter() - started
        if search:
            from portal.search import service

            started = time.perf_counter()
            service.rebuild()
            timings["search rebuild"] = time.perf_counter() - started
        db.session.remove()
        db.engine.dispose()
    (folder / "built").write_text("ok")
    return timings


def upgrade_database(folder: Path) -> list[str]:
    """Bring a kept database (``--work``) to the newest migration; returns the revisions applied."""
    from alembic.migration import MigrationContext
    from flask_migrate import upgrade

    from portal.extensions import db

    app = make_app(folder)
    with app.app_context():
        def revision() -> str | None:
            with db.engine.connect() as connection:
                return MigrationContext.configure(connection).get_current_revision()

        before = revision()
        upgrade()
        after = revision()
        db.session.remove()
        db.engine.dispose()
    return [] if before == after else [f"{before} -> {after}"]


def make_app(folder: Path):
    from portal import create_app

    return create_app({"INSTANCE_PATH": str(folder / "instance"), "SECRET_KEY": "bench",
                       "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'portal.sqlite3'}",
                       "SEARCH_INDEX_DIR": str(folder / "index"), "MEDIA_DIR": str(folder / "media"),
                       # The index is built (or not) before serving and nothing changes while measuring;
                       # a follower thread would only compete for the interpreter (or, with no index,
                       # index the whole outbox in the server while it is being timed).
                       "SEARCH_FOLLOW": False})


# ---------------------------------------------------------------- the server (a subprocess)

class SQLCounter:
    """WSGI wrapper: counts SQL statements per request, streamed bodies included; GET /__bench/sql
    answers the count of the last finished request (the server handles one request at a time)."""

    def __init__(self, app):
        self.app, self.current, self.last, self.thread = app, 0, 0, None

    def __call__(self, environ, start_response):
        from werkzeug.wsgi import ClosingIterator

        if environ.get("PATH_INFO") == "/__bench/sql":
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [str(self.last).encode()]
        self.current, self.thread = 0, threading.get_ident()
        return ClosingIterator(self.app(environ, start_response), self.finished)

    def count(self, *_args) -> None:
        if threading.get_ident() == self.thread:  # not the search index's background work
            self.current += 1

    def finished(self) -> None:
        self.last = self.current


def serve(folder: Path, port: int) -> None:
    import sqlalchemy as sa
    from werkzeug.serving import make_server

    app = make_app(folder)
    counter = SQLCounter(app.wsgi_app)
    sa.event.listen(sa.engine.Engine, "before_cursor_execute", counter.count)
    app.wsgi_app = counter
    make_server("127.0.0.1", port, app, threaded=False).serve_forever()


def start_server(folder: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([sys.executable, __file__, "--serve", str(folder), "--port", str(port)],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            urllib.request.urlopen(base + "/robots.txt", timeout=5).read()
            return process, base
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the server did not start")


# ---------------------------------------------------------------- measuring

class Timeout(Exception):
    pass


def entries_in(body: bytes) -> int | None:
    """How many items an answer lists: feed entries, API items or list rows (None for anything else)."""
    head = body[:200]
    if b"<feed" in head or b"<rss" in head:
        return body.count(b"<entry>") + body.count(b"<entry ") + body.count(b"<item>")
    if head.lstrip().startswith(b"{"):
        try:
            items = json.loads(body).get("items")
        except ValueError:
            return None
        return len(items) if isinstance(items, list) else None
    if b"<html" in head or b"<!doctype" in head.lower():
        rows = body.count(b'<li class="item')
        return rows or None
    return None


def fetch(base: str, path: str, headers: dict[str, str] | None = None,
          timeout: float = 600) -> tuple[float, int, int, dict[str, str], int | None]:
    """(seconds until the whole body is read, status, body bytes, headers, items listed)."""
    request = urllib.request.Request(base + path, headers=headers or {})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
            status, answer = response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        body, status, answer = error.read(), error.code, dict(error.headers)
    except (TimeoutError, socket.timeout, urllib.error.URLError) as error:
        raise Timeout(path) from error
    return time.perf_counter() - started, status, len(body), answer, entries_in(body)


def sql_count(base: str) -> int:
    return int(urllib.request.urlopen(base + "/__bench/sql", timeout=10).read())


def url_families(folder: Path) -> list[tuple[str, str]]:
    """(family, path): the same items at every size (bundled ones), so detail pages compare."""
    import sqlite3

    con = sqlite3.connect(folder / "portal.sqlite3")
    newest = {table: con.execute(f"SELECT slug FROM {table} WHERE status='published' AND slug NOT LIKE 'bench-%' "
                                 f"ORDER BY published_at DESC LIMIT 1").fetchone()[0]
              for table in ("warning", "article", "sanction")}
    con.close()
    return [
        ("home vi", "/"), ("home en", "/en/"),
        ("warnings list p1", "/canh-bao"), ("warnings list p50", "/canh-bao?page=50"),
        ("warnings list en p1", "/en/warnings"), ("warnings list en p50", "/en/warnings?page=50"),
        ("warnings filtered", "/canh-bao?category=toys&risk_level=serious"),
        ("guides list", "/huong-dan"), ("guides filtered", "/huong-dan?kind=news"),
        ("sanctions list", "/xu-ly-vi-pham"), ("sanctions filtered", "/xu-ly-vi-pham?online=1"),
        ("warning detail", f"/canh-bao/{newest['warning']}"),
        ("warning detail en", f"/en/warnings/{newest['warning']}"),
        ("guide detail", f"/huong-dan/{newest['article']}"),
        ("sanction detail", f"/xu-ly-vi-pham/{newest['sanction']}"),
        ("search page", "/tim-kiem?q=sua+bot"),
        ("feed warnings atom", "/feeds/warnings.atom"), ("feed warnings rss", "/feeds/warnings.rss"),
        ("feed warnings en", "/en/feeds/warnings.atom"),
        ("feed warnings filtered", "/feeds/warnings.atom?category=toys"),
        ("feed warnings hazard", "/feeds/warnings.atom?hazard=choking"),
        ("feed warnings 2 categories", "/feeds/warnings.atom?category=toys,food"),
        ("feed sanctions year", "/feeds/sanctions.rss?year=2026"),
        ("feed articles", "/feeds/articles.atom"), ("feed sanctions", "/feeds/sanctions.rss"),
        ("feed all", "/feeds/all.atom"), ("feed search", "/feeds/search.atom?q=sua+bot"),
        ("api warnings", "/api/v1/warnings"), ("api warnings p50", "/api/v1/warnings?page=50"),
        ("api articles", "/api/v1/articles"), ("api sanctions", "/api/v1/sanctions"),
        ("sitemap index", "/sitemap.xml"), ("sitemap pages", "/sitemaps/pages.xml"),
        ("sitemap file warnings-0", "/sitemaps/warnings-0.xml"),
        ("export warnings csv", "/canh-bao/export.csv"), ("export warnings xlsx", "/canh-bao/export.xlsx"),
        ("export sanctions csv", "/xu-ly-vi-pham/export.csv"),
        ("export sanctions xlsx", "/xu-ly-vi-pham/export.xlsx"),
    ]


CONDITIONAL = ("home vi", "warnings list p1", "warning detail", "feed warnings atom", "api warnings",
               "sitemap index", "sitemap file warnings-0", "export warnings csv", "export warnings xlsx")


class Server:
    """One size's server; restarted when a request runs past the timeout (it serves one at a time)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.process, self.base = start_server(folder)

    def get(self, path: str, headers: dict[str, str] | None, timeout: float) -> dict:
        try:
            seconds, status, size, answer, listed = fetch(self.base, path, headers, timeout)
        except Timeout:
            self.stop()
            self.process, self.base = start_server(self.folder)
            return {"ms": timeout * 1000, "sql": -1, "status": "timeout", "bytes": 0, "headers": {}, "n": None}
        return {"ms": seconds * 1000, "sql": sql_count(self.base), "status": status, "bytes": size,
                "headers": answer, "n": listed}

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def _median(samples: list[dict], first: dict | None = None) -> dict:
    """The median of ``samples``; ``first`` is the untimed warm-up request (kept-per-generation
    answers — list counts, filter choices, the sitemap summary — are computed there)."""
    ms = statistics.median(sample["ms"] for sample in samples)
    last = samples[-1]
    return {"ms": ms, "sql": max(sample["sql"] for sample in samples), "status": last["status"],
            "bytes": last["bytes"], "timeout": any(sample["status"] == "timeout" for sample in samples),
            "n": last.get("n"), "first_ms": (first or last)["ms"], "first_sql": (first or last)["sql"]}


def measure(servers: dict[str, Server], families: list[tuple[str, str]], repeat: int,
            timeout: float) -> dict[str, dict[str, dict]]:
    """Per size, per URL family: the median of the timed requests. The sizes take turns for every
    request, so a change in the machine's load falls on all of them alike."""
    results: dict[str, dict[str, dict]] = {label: {} for label in servers}
    for label, server in servers.items():
        results[label]["sitemap index, first after start"] = _median([server.get("/sitemap.xml", None, timeout)])
    validators: dict[str, dict[str, str | None]] = {label: {} for label in servers}
    for name, path in families:
        heavy = any(word in name for word in HEAVY)
        samples: dict[str, list[dict]] = {label: [] for label in servers}
        first: dict[str, dict] = {}
        for attempt in range(1 if heavy else repeat + 1):
            for label, server in servers.items():
                if samples[label] and samples[label][-1]["status"] == "timeout":
                    continue
                sample = server.get(path, None, timeout)
                if heavy or attempt > 0 or sample["status"] == "timeout":  # the first light request warms up
                    samples[label].append(sample)
                else:
                    first[label] = sample
                validators[label][name] = sample["headers"].get("ETag") if "headers" in sample else None
        for label in servers:
            results[label][name] = _median(samples[label], first.get(label))
        print(f"  {name}: " + ", ".join(f"{label} {results[label][name]['ms']:.0f} ms" for label in servers),
              flush=True)
    paths = dict(families)
    for name in CONDITIONAL:
        samples = {label: [] for label in servers}
        for _ in range(repeat):
            for label, server in servers.items():
                etag = validators[label].get(name)
                if etag:
                    samples[label].append(server.get(paths[name], {"If-None-Match": etag}, timeout))
        for label in servers:
            if samples[label]:
                results[label][f"304 {name}"] = _median(samples[label])
    return results


def stream_memory(folder: Path) -> dict[str, dict]:
    """Peak Python memory (tracemalloc) while a streamed body is produced and read, chunk by chunk."""
    from portal.extensions import db

    app = make_app(folder)
    out = {}
    with app.app_context():
        client = app.test_client()
        for name, path in (("export warnings csv", "/canh-bao/export.csv"),
                           ("export warnings xlsx", "/canh-bao/export.xlsx"),
                           ("sitemap file warnings-0", "/sitemaps/warnings-0.xml")):
            # Warm up (imports, templates, the search reader) on an answer with no rows.
            client.get(path.replace("warnings-0", "warnings-99999") + "?date_from=2999-01-01").close()
            tracemalloc.start()
            response = client.get(path, buffered=False)
            size = 0
            for chunk in response.response:
                size += len(chunk)
            response.close()
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            out[name] = {"peak_mb": peak / 2**20, "bytes": size}
        db.session.remove()
        db.engine.dispose()
    return out


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# ---------------------------------------------------------------- report

def count_items(folder: Path) -> str:
    import sqlite3

    con = sqlite3.connect(folder / "portal.sqlite3")
    parts = [f"{table} {con.execute(f'SELECT count(*) FROM {table}').fetchone()[0]}"
             for table in ("warning", "article", "sanction")]
    con.close()
    return ", ".join(parts)


# A page 50 the bundled content does not have (a 404, or an API page with no items) is compared
# with the bundled size's first page: the same page shape, a full page of items.
PAGE_ONE = {"warnings list p50": "warnings list p1", "warnings list en p50": "warnings list en p1",
            "api warnings p50": "api warnings"}
BAR = 2.0


def baseline(base: dict[str, dict], name: str) -> tuple[dict | None, bool]:
    """The bundled-size row to compare ``name`` with, and whether it is another URL's (`PAGE_ONE`)."""
    row = base.get(name)
    if row and name in PAGE_ONE and (row["status"] == 404 or not row.get("n")):
        return base.get(PAGE_ONE[name]), True
    return row, False


def print_table(runs: dict[str, dict]) -> None:
    labels = list(runs)
    base = runs[labels[0]]["results"]
    names = list(base)
    for run in runs.values():
        names += [name for name in run["results"] if name not in names]
    width = 40
    head = f"{'URL family':38}" + "".join(f"{label:>{width}}" for label in labels)
    print("\n" + head)
    print(f"{'':38}" + "".join(f"{'ms (×bundled) sql status n | first ms':>{width}}" for _ in labels))
    over: list[str] = []
    for name in names:
        line = f"{name:38}"
        for label in labels:
            row = runs[label]["results"].get(name)
            if row is None:
                line += f"{'-':>{width}}"
                continue
            ratio = ""
            reference, substituted = baseline(base, name)
            if label != labels[0] and reference and reference["ms"] > 0:
                times = row["ms"] / reference["ms"]
                ratio = f"(×{times:.1f}{'†' if substituted else ''})"
                if label == labels[-1] and times > BAR and not any(word in name for word in HEAVY):
                    over.append(f"{name} ×{times:.1f}")
            if row.get("timeout"):
                line += f"{'> ' + str(round(row['ms'] / 1000)) + ' s':>10} {'':>9} {'-':>4} {'t/o':>3}{'':>13}"
                continue
            listed = "" if row.get("n") is None else str(row["n"])
            first = row.get("first_ms", row["ms"])
            line += f"{row['ms']:>10.1f} {ratio:>9} {row['sql']:>4} {row['status']:>3} {listed:>3} | {first:>6.0f}"
        print(line)
    print(f"\n† compared with the bundled size's first page: it has no page 50 ({', '.join(PAGE_ONE)}).")
    print("n: items the answer lists (feed entries, API items, list rows); first: the untimed first request.")
    print(f"over {BAR:g}× at {labels[-1]} (exports and sitemap files excepted): {', '.join(over) or 'none'}")
    print(f"\n{'memory (tracemalloc peak, MB)':38}" + "".join(f"{label:>28}" for label in labels))
    for name in runs[labels[0]]["memory"]:
        print(f"{name:38}" + "".join(
            f"{runs[label]['memory'][name]['peak_mb']:>12.1f} MB {runs[label]['memory'][name]['bytes'] / 2**20:>8.1f} MB out"
            for label in labels))
    print(f"{'server peak RSS':38}" + "".join(f"{runs[label]['rss']:>25.0f} MB" for label in labels))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["bundled", "10000", "100000"],
                        help="'bundled' (the content/ folder only) or a total number of items")
    parser.add_argument("--repeat", type=int, default=5, help="timed requests per light URL (median)")
    parser.add_argument("--work", type=Path, help="keep the databases here and reuse them on the next run")
    parser.add_argument("--no-search-build", action="store_true",
                        help="do not build the search index (search is then timed against no index)")
    parser.add_argument("--search-max-items", type=int, default=10_000,
                        help="build the search index only for sizes up to this many items (the rebuild on "
                             "main takes most of an hour at 100,000); larger sizes time search against no index")
    parser.add_argument("--timeout", type=float, default=300, help="seconds before a request counts as failed")
    parser.add_argument("--page-cache", action="store_true",
                        help="serve with the rendered-page cache on (off by default: the figures are then "
                             "what each page costs to build, not a cache hit)")
    parser.add_argument("--feed-entry-cache", type=int,
                        help="feed entries each server keeps written (PORTAL_FEED_ENTRY_CACHE; default: the "
                             "portal's default; 0: every entry written on every request)")
    parser.add_argument("--only", nargs="+", metavar="WORD",
                        help="time only the URL families whose name holds one of these words (e.g. feed)")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    if args.serve:
        serve(args.serve, args.port)
        return
    work = args.work or Path(tempfile.mkdtemp(prefix="pages-bench-"))
    folders = {}
    for label in args.sizes:
        size = None if label == "bundled" else int(label)
        folder = work / f"size-{label}"
        folder.mkdir(parents=True, exist_ok=True)
        if not (folder / "built").exists():
            print(f"[{label}] building ...", flush=True)
            search = not args.no_search_build and (size or 0) <= args.search_max_items
            timings = build(folder, size, search=search)
            if not search:
                print(f"[{label}] no search index built: search URLs are timed against no index", flush=True)
            print(f"[{label}] " + ", ".join(f"{step} {seconds:.0f} s" for step, seconds in timings.items()), flush=True)
        else:
            started = time.perf_counter()
            for step in upgrade_database(folder):
                print(f"[{label}] kept database migrated {step} ({time.perf_counter() - started:.0f} s)", flush=True)
        print(f"[{label}] {count_items(folder)}", flush=True)
        folders[label] = folder
    os.environ["PORTAL_PAGE_CACHE_ENTRIES"] = os.environ.get("PORTAL_PAGE_CACHE_ENTRIES", "512") if args.page_cache else "0"
    print(f"page cache: {'on' if args.page_cache else 'off'}", flush=True)
    if args.feed_entry_cache is not None:
        os.environ["PORTAL_FEED_ENTRY_CACHE"] = str(args.feed_entry_cache)
    print(f"feed entry cache: {os.environ.get('PORTAL_FEED_ENTRY_CACHE', 'default')}", flush=True)
    families = url_families(folders[args.sizes[0]])
    if args.only:
        families = [(name, path) for name, path in families if any(word in name for word in args.only)]
    servers = {label: Server(folder) for label, folder in folders.items()}
    try:
        results = measure(servers, families, args.repeat, args.timeout)
        rss = {label: peak_rss_mb(server.process.pid) for label, server in servers.items()}
    finally:
        for server in servers.values():
            server.stop()
    runs = {label: {"results": results[label], "memory": stream_memory(folder), "rss": rss[label]}
            for label, folder in folders.items()}
    (work / "results.json").write_text(json.dumps(runs, default=str, indent=1))
    print(f"\nuptime: {os.popen('uptime').read().strip()}")
    print_table(runs)


if __name__ == "__main__":
    main()
