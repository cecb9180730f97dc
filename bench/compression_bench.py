"""Bytes on the wire and the cost of compressing them, for the bundled content (issue 12, item 8).

Builds a throwaway instance from ``content/`` (database, search index), then for each URL asks
the app in-process (Flask's test client, no network) without ``Accept-Encoding``, with gzip and
with br: the size of each answer, and the median time of ``--repeat`` requests after a warm-up.
Pages come from the rendered-page cache; "br, kept" is the normal set-up (encoded bodies kept
by digest), "br, unkept" compresses on every request (``COMPRESSED_BODIES_BYTES=0``).
Prints a table; asserts nothing about time.

    python bench/compression_bench.py [--repeat 50]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

URLS = ["/", "/canh-bao", "/en/warnings", "/xu-ly-vi-pham", "/tim-kiem?q=sua+bot", "/feeds/all.atom",
        "/en/feeds/warnings.rss", "/api/v1/warnings?per_page=50", "/static/css/portal.css"]


def build_app(folder: Path, kept_bytes: int):
    from portal import create_app

    return create_app({
        "INSTANCE_PATH": str(folder / "instance"), "SECRET_KEY": "bench",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite3'}",
        "SEARCH_INDEX_DIR": str(folder / "index"), "MEDIA_DIR": str(folder / "media"),
        "COMPRESSED_BODIES_BYTES": kept_bytes,
    })


def fill(app) -> None:
    runner = app.test_cli_runner()
    for args in (["db", "upgrade"], ["content", "load", str(ROOT / "content")], ["search", "rebuild"]):
        result = runner.invoke(args=args)
        if result.exit_code != 0:
            raise SystemExit(f"{' '.join(args)} failed:\n{result.output}")


def timed(client, url: str, headers: dict, repeat: int) -> tuple[float, int]:
    response = client.get(url, headers=headers)  # warm: render, keep, compress once
    size = len(response.data)
    response.close()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url, headers=headers)
        response.data  # noqa: B018 - read the body like a server would
        times.append(time.perf_counter() - start)
        response.close()
    return statistics.median(times) * 1000, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="compression-bench-") as tmp:
        folder = Path(tmp)
        kept = build_app(folder, 16 * 1024 * 1024)
        with kept.app_context():
            fill(kept)
        unkept = build_app(folder, 0)
        print(f"{'URL':34} {'plain B':>8} {'gzip B':>7} {'br B':>7} │ {'plain ms':>8} {'gzip ms':>8} "
              f"{'br ms':>7} {'br unkept ms':>12}")
        for url in URLS:
            with kept.app_context():
                client = kept.test_client()
                plain_ms, plain = timed(client, url, {}, args.repeat)
                gzip_ms, gzip_size = timed(client, url, {"Accept-Encoding": "gzip"}, args.repeat)
                br_ms, br_size = timed(client, url, {"Accept-Encoding": "br"}, args.repeat)
            with unkept.app_context():
                unkept_ms, _ = timed(unkept.test_client(), url, {"Accept-Encoding": "br"}, args.repeat)
            print(f"{url:34} {plain:8} {gzip_size:7} {br_size:7} │ {plain_ms:8.2f} {gzip_ms:8.2f} "
                  f"{br_ms:7.2f} {unkept_ms:12.2f}")


if __name__ == "__main__":
    main()
