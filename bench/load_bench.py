"""Load benchmark: gunicorn (4 workers) on PostgreSQL under mixed public reads while an editor publishes.

    .venv/bin/python bench/load_bench.py                     # throwaway PostgreSQL, 60 s, 32 clients
    DATABASE_URL=postgresql://u:p@host:5432/db .venv/bin/python bench/load_bench.py   # an EMPTY database

Steps, all against 127.0.0.1 and bounded in time:
1. a database: ``DATABASE_URL`` (it must be empty: the bench migrates and loads it), else a
   throwaway PostgreSQL 15 server (``initdb``/``pg_ctl`` from /usr/local/bin or PATH, run as a
   non-root user — ``portalbench`` is created with useradd when run as root — in a temp dir);
2. ``flask db upgrade``, ``flask content load content/``, ``flask search rebuild``;
3. gunicorn with gunicorn.conf.py, 4 workers, the trivial ``/__bench/bare`` route switched on
   (``PORTAL_BENCH_BARE=1``);
4. an editor process publishing one new warning per second through the workflow services
   (``workflow.create_item`` then ``workflow.publish``) for the whole run;
5. locust, headless: the mixed read load (home, lists, details, search, feeds, API; a quarter
   of repeat requests conditional with If-None-Match) from 32 users for 60 s; then the home
   page alone and the bare endpoint alone, each 32 users for 20 s, for the capacity ratio;
6. after the editor stops and the index has caught up: every published item is looked up by
   the API (by id) and by search; any not found is a publish lost.

It prints requests per second and p50/p95/p99 per URL family, errors, publishes lost and the
ratio of the home page's requests per second to the bare endpoint's. It asserts nothing.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_USER = "portalbench"
EDITOR_EMAIL = "bench-editor@example.vn"


# ---------------------------------------------------------------- helpers

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pg_binary(name: str) -> str:
    for folder in ("/usr/local/bin", "/usr/lib/postgresql/15/bin"):
        if Path(folder, name).exists():
            return str(Path(folder, name))
    found = shutil.which(name)
    if not found:
        sys.exit(f"{name} not found: install PostgreSQL's server binaries or set DATABASE_URL")
    return found


class ThrowawayPostgres:
    """A PostgreSQL server in a temp dir, owned by a non-root user, on a free local port."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.data = folder / "pgdata"
        self.port = free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            try:
                pwd.getpwnam(BENCH_USER)
            except KeyError:
                subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", BENCH_USER],
                               check=True)
            shutil.chown(folder, BENCH_USER)
            folder.chmod(0o700)
            self.as_user = ["runuser", "-u", BENCH_USER, "--"]

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_user, *args], check=True, stdout=subprocess.DEVNULL, cwd="/")

    def start(self) -> str:
        self._run(pg_binary("initdb"), "-D", str(self.data), "-U", "portal", "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8")
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c max_connections=200 "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        self._run(pg_binary("pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.folder / "pg.log"),
                  "-w", "start")
        import psycopg

        with psycopg.connect(f"postgresql://portal@127.0.0.1:{self.port}/postgres", autocommit=True) as conn:
            conn.execute("CREATE DATABASE portal")
        return f"postgresql+psycopg://portal@127.0.0.1:{self.port}/portal"

    def stop(self) -> None:
        if self.data.exists():
            subprocess.run([*self.as_user, pg_binary("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd="/")


def sqlalchemy_url(url: str) -> str:
    """The form PostgreSQL tools write (postgresql://) with the psycopg 3 driver named."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def http_get(base: str, path: str, timeout: float = 10) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(base + path, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def items_of(payload) -> list[dict]:
    """The list of item dicts in an API list answer, whatever its key."""
    if isinstance(payload, list):
        return payload
    for value in payload.values():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            return value
    return []


# ---------------------------------------------------------------- the editor process

def editor(duration: float, interval: float, out: Path) -> None:
    """Publish one new warning every ``interval`` seconds through the workflow services."""
    sys.path.insert(0, str(ROOT))
    from portal import create_app
    from portal.admin import accounts
    from portal.content import workflow
    from portal.content.models import User
    from portal.extensions import db

    app = create_app({"SEARCH_FOLLOW": False})
    published = []
    with app.app_context():
        if db.session.execute(db.select(User).filter_by(email=EDITOR_EMAIL)).scalar_one_or_none() is None:
            accounts.create_user(None, EDITOR_EMAIL, "publisher", "newsroom", "mat-khau-ban-bien-tap-123")
            db.session.commit()
        start = time.monotonic()
        n = 0
        while time.monotonic() - start < duration:
            n += 1
            slug = f"tai-thu-tai-{os.getpid()}-{n}"
            word = f"kiemtra{os.getpid()}x{n}"
            data = {"type": "warning", "slug": slug, "lang": "vi", "published_at": None,
                    "title": f"Cảnh báo thử tải số {n}: nồi cơm điện {word}",
                    "summary": "Cảnh báo tạo ra khi đo tải; không phải thông tin thật.",
                    "category": "electrical", "hazards": ["electric-shock"], "risk_level": "high",
                    "product": {"name": f"Nồi cơm điện thử tải {n}", "brand": "Thử Tải"},
                    "body": "Nội dung thử tải."}
            try:
                user = db.session.execute(db.select(User).filter_by(email=EDITOR_EMAIL)).scalar_one()
                item = workflow.create_item(user, "warning", data)
                db.session.commit()
                workflow.publish(user, item, item.version)
                db.session.commit()
                published.append({"id": item.id, "slug": slug, "word": word, "at": time.time()})
            except Exception as exc:  # noqa: BLE001 - counted, the run goes on
                db.session.rollback()
                published.append({"error": repr(exc)})
            db.session.remove()
            next_at = start + n * interval
            time.sleep(max(0.0, next_at - time.monotonic()))
    out.write_text(json.dumps(published))


# ---------------------------------------------------------------- the run

def flask_cli(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "flask", "--app", "portal", *args], env=env, cwd=str(ROOT), check=True,
                   stdout=subprocess.DEVNULL)


def prepare_urls(base: str, folder: Path) -> Path:
    urls = {"lists": ["/canh-bao", "/huong-dan", "/xu-ly-vi-pham", "/en/warnings", "/canh-bao?category=food",
                      "/canh-bao?risk_level=serious", "/xu-ly-vi-pham?online=1", "/canh-bao?hazard=chemical"],
            "feeds": ["/feeds/warnings.atom", "/feeds/all.rss", "/feeds/sanctions.atom", "/en/feeds/articles.atom",
                      "/sitemap.xml"],
            "api": ["/api/v1/warnings", "/api/v1/sanctions?per_page=10", "/api/v1/articles",
                    "/api/v1/warnings?category=toys"],
            "searches": [f"/tim-kiem?q={urllib.parse.quote(q)}" for q in
                         ("sua bot", "đồ chơi", "nồi cơm điện", "my pham", "xu phat", "tre em")]
            + [f"/api/v1/search?q={urllib.parse.quote(q)}" for q in ("chi", "pin sac", "thuc pham")],
            "details": []}
    for kind in ("warnings", "articles", "sanctions"):
        status, body = http_get(base, f"/api/v1/{kind}?per_page=100")
        for item in items_of(json.loads(body)) if status == 200 else []:
            if item.get("url"):
                urls["details"].append(urllib.parse.urlsplit(item["url"]).path)
            if item.get("id") is not None:
                urls["api"].append(f"/api/v1/{kind}/{item['id']}")
    path = folder / "urls.json"
    path.write_text(json.dumps(urls))
    return path


def warm_up(base: str, urls: Path, rounds: int = 3) -> None:
    """Every URL a few times from 16 threads, so every worker has started and rendered once."""
    from concurrent.futures import ThreadPoolExecutor

    paths = [path for family in json.loads(urls.read_text()).values() for path in family]
    paths = (["/", "/en/", "/__bench/bare", "/healthz"] * 8 + paths) * rounds
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda path: http_get(base, path, timeout=120), paths))


def run_locust(base: str, urls: Path, mix: str, users: int, seconds: int, folder: Path) -> list[dict]:
    prefix = folder / f"locust-{mix}"
    env = dict(os.environ, LOAD_MIX=mix, LOAD_URLS=str(urls))
    subprocess.run([sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "load_locustfile.py"), "--headless",
                    "--users", str(users), "--spawn-rate", str(users), "--run-time", f"{seconds}s",
                    "--host", base, "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
                    "--exit-code-on-error", "0"],
                   env=env, cwd=str(folder), check=True, stdout=subprocess.DEVNULL, stderr=open(folder / f"{mix}.log", "w"))
    with open(f"{prefix}_stats.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def lost_publishes(base: str, published: list[dict]) -> list[str]:
    lost = []
    for item in published:
        if "error" in item:
            lost.append(item["error"])
            continue
        status, _body = http_get(base, f"/api/v1/warnings/{item['id']}")
        found = False
        if status == 200:
            status, body = http_get(base, "/api/v1/search?q=" + urllib.parse.quote(item["word"]))
            found = status == 200 and any(hit["slug"] == item["slug"] for hit in json.loads(body)["results"])
        if not found:
            lost.append(item["slug"])
    return lost


def wait_caught_up(base: str, timeout: float = 30) -> dict:
    deadline = time.monotonic() + timeout
    health = {}
    while time.monotonic() < deadline:
        try:
            status, body = http_get(base, "/healthz")
        except OSError:  # not listening yet
            time.sleep(0.2)
            continue
        if status == 200:
            health = json.loads(body)
            if health["index"].get("built") and health["index"].get("lag_rows") == 0:
                return health
        time.sleep(0.2)
    return health


def table(rows: list[dict]) -> str:
    lines = [f"{'family':<22}{'requests':>10}{'errors':>8}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"]
    for row in rows:
        lines.append(f"{row['Name']:<22}{row['Request Count']:>10}{row['Failure Count']:>8}"
                     f"{float(row['Requests/s']):>9.1f}{row['50%']:>9}{row['95%']:>9}{row['99%']:>9}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds of mixed load (default 60)")
    parser.add_argument("--ratio-duration", type=int, default=20, help="seconds each of home-only and bare-only load")
    parser.add_argument("--users", type=int, default=32)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--publish-interval", type=float, default=1.0)
    parser.add_argument("--keep", action="store_true", help="keep the temp folder (logs, locust CSV)")
    parser.add_argument("--editor", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.editor:
        editor(args.duration, args.publish_interval, Path(args.out))
        return

    folder = Path(tempfile.mkdtemp(prefix="portal-load-"))
    postgres = None
    processes: list[subprocess.Popen] = []
    try:
        database = os.environ.get("DATABASE_URL")
        if database:
            database = sqlalchemy_url(database)
        else:
            folder.chmod(0o711)  # the PostgreSQL user must reach its folder inside
            (folder / "pg").mkdir()
            postgres = ThrowawayPostgres(folder / "pg")
            database = postgres.start()
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = dict(os.environ, DATABASE_URL=database, PORTAL_INSTANCE=str(folder / "instance"),
                   SEARCH_INDEX_DIR=str(folder / "instance" / "search-index"), SECRET_KEY="load-bench",
                   PYTHONPATH=str(ROOT), PORTAL_BENCH_BARE="1", PORTAL_BIND=f"127.0.0.1:{port}",
                   PORTAL_WORKERS=str(args.workers), PORTAL_ACCESS_LOG="", PORTAL_LOG_LEVEL="warning",
                   PORTAL_PIDFILE=str(folder / "gunicorn.pid"))
        env.pop("PORTAL_BASE_URL", None)
        print(f"database: {'DATABASE_URL' if os.environ.get('DATABASE_URL') else 'throwaway PostgreSQL 15'}; "
              f"loading content/ ...", flush=True)
        flask_cli(env, "db", "upgrade")
        flask_cli(env, "content", "load", "content/")
        flask_cli(env, "search", "rebuild")

        server_log = open(folder / "gunicorn.log", "w")
        processes.append(subprocess.Popen([sys.executable, "-m", "gunicorn", "--config", str(ROOT / "gunicorn.conf.py")],
                                          env=env, cwd=str(ROOT), stdout=server_log, stderr=subprocess.STDOUT))
        health = wait_caught_up(base, timeout=180)  # a loaded 2-core machine starts 4 workers slowly
        if not health:
            sys.exit(f"gunicorn did not answer: {(folder / 'gunicorn.log').read_text()[-2000:]}")
        for _ in range(args.workers * 3):  # every worker's first request starts its follower
            http_get(base, "/healthz")
        urls = prepare_urls(base, folder)
        warm_up(base, urls)

        total = args.duration + 2 * args.ratio_duration + 10
        published_file = folder / "published.json"
        editor_process = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--editor",
                                           "--duration", str(total), "--publish-interval", str(args.publish_interval),
                                           "--out", str(published_file)], env=env, cwd=str(ROOT))
        processes.append(editor_process)
        print(f"gunicorn: {args.workers} workers on {base}; editor publishing every {args.publish_interval:g} s; "
              f"locust: {args.users} users, {args.duration} s mixed, then {args.ratio_duration} s home only and "
              f"{args.ratio_duration} s bare only", flush=True)
        load_before = os.getloadavg()
        mixed = run_locust(base, urls, "mixed", args.users, args.duration, folder)
        home = run_locust(base, urls, "home", args.users, args.ratio_duration, folder)
        bare = run_locust(base, urls, "bare", args.users, args.ratio_duration, folder)
        editor_process.wait(timeout=total + 60)
        published = json.loads(published_file.read_text())
        health = wait_caught_up(base)
        lost = lost_publishes(base, published)

        print()
        print(table(mixed))
        aggregated = next(row for row in mixed if row["Name"] == "Aggregated")
        home_rps = float(next(row for row in home if row["Name"] == "Aggregated")["Requests/s"])
        bare_rps = float(next(row for row in bare if row["Name"] == "Aggregated")["Requests/s"])
        errors = sum(int(next(row for row in rows if row["Name"] == "Aggregated")["Failure Count"])
                     for rows in (mixed, home, bare))
        print()
        print(table([{**row, "Name": label} for label, rows in (("home only", home), ("bare only", bare))
                     for row in rows if row["Name"] == "Aggregated"]))
        print()
        print(f"errors (all three phases): {errors}")
        for mix in ("mixed", "home", "bare"):
            with open(folder / f"locust-{mix}_failures.csv", newline="") as handle:
                for failure in csv.DictReader(handle):
                    print(f"  {mix}: {failure['Occurrences']} × {failure['Name']}: {failure['Error'][:160]}")
        print(f"published during the run: {len(published)}; publishes lost: {len(lost)}"
              + (f" ({', '.join(lost[:5])})" if lost else ""))
        print(f"home page {home_rps:.1f} req/s vs bare Flask endpoint {bare_rps:.1f} req/s: "
              f"ratio {home_rps / bare_rps:.2f}" if bare_rps else "bare endpoint: no requests")
        print(f"mixed load: {float(aggregated['Requests/s']):.1f} req/s in all; index lag at the end: "
              f"{health.get('index', {}).get('lag_rows')} rows")
        for mix in ("mixed", "home", "bare"):
            if "CPU usage" in (folder / f"{mix}.log").read_text():
                print(f"note: locust warned that its own CPU use was high in the {mix} phase "
                      "(the client, not only the server, may have limited the rate)")
        print(f"machine: {os.cpu_count()} cores; load average before {load_before[0]:.1f}, "
              f"after {os.getloadavg()[0]:.1f} (the load generator shares these cores)")
    finally:
        for process in reversed(processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
        if postgres is not None:
            postgres.stop()
        if args.keep:
            print(f"kept: {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
