"""Small answers that change only when what the public sees changes, kept per content generation.

A list's count of matches (up to a thousand rows read) and the enforcement filter's years and
authorities (every public result read) belong to a page that is a function of its URL and the
content generation, so they are too. They are kept here under the generation key the caller
passes (the one in the page's ETag), in a bounded LRU per application: a new generation makes
new keys and the old entries age out. Each node keeps its own; nothing is shared, and nothing
outlives a public change (which moves the generation).
"""
from __future__ import annotations

from collections import OrderedDict
from threading import Lock
from typing import Callable, Hashable, TypeVar

from flask import current_app

T = TypeVar("T")
MAX_ENTRIES = 1024


class Memo:
    def __init__(self) -> None:
        self.kept: OrderedDict[tuple, object] = OrderedDict()
        self.lock = Lock()

    def remember(self, generation: str, key: Hashable, compute: Callable[[], T]) -> T:
        full = (generation, key)
        with self.lock:
            if full in self.kept:
                self.kept.move_to_end(full)
                return self.kept[full]  # type: ignore[return-value]
        value = compute()
        with self.lock:
            self.kept[full] = value
            while len(self.kept) > MAX_ENTRIES:
                self.kept.popitem(last=False)
        return value


def remember(generation: str | None, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, kept for ``generation`` and ``key``; with no generation, computed every time."""
    if generation is None:
        return compute()
    memo = current_app.extensions.get("portal.memo") or current_app.extensions.setdefault("portal.memo", Memo())
    return memo.remember(generation, key, compute)
