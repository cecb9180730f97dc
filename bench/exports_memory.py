"""Peak memory of the CSV and XLSX export writers as the number of rows grows (tracemalloc).

The writers take rows one at a time (the export views feed them from a ``yield_per`` query);
this measures the writers alone on generated rows, so the figures show whether their memory
follows the row count. ``pages_bench.py`` measures whole export requests over the database.

    python bench/exports_memory.py [ROWS ...]      (default: 10000 100000)
"""
from __future__ import annotations

import sys
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal.feeds import exports  # noqa: E402

HEADER = [f"c{i}" for i in range(10)]


def rows(count: int):
    for i in range(count):
        yield [i, f"Thu hồi sản phẩm số {i} nhiễm chì", "2026-11-30T10:00:00+07:00", "Đồ chơi", "8930000000000",
               "LOT-1", "Hiệu Mẫu " * 3, "Người tiêu dùng ngừng sử dụng sản phẩm và liên hệ nơi bán. " * 3,
               15000000, f"https://example.org/canh-bao/bench-w-{i}"]


def main() -> None:
    sizes = [int(arg) for arg in sys.argv[1:]] or [10_000, 100_000]
    for fmt in ("csv", "xlsx"):
        for count in sizes:
            tracemalloc.start()
            if fmt == "csv":
                chunks = exports.csv_chunks(HEADER, rows(count))
            else:
                chunks = exports.xlsx_chunks(HEADER, rows(count), "Cảnh báo")
            size = sum(len(chunk) for chunk in chunks)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            print(f"{fmt:4} {count:>7} rows: peak {peak / 2**20:6.2f} MB, output {size / 2**20:6.1f} MB", flush=True)


if __name__ == "__main__":
    main()
