"""A thread-safe LRU bounded by the total weight of its values (bytes, or one per value)."""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable, Generic, Hashable, TypeVar

V = TypeVar("V")


class BoundedLRU(Generic[V]):
    """Values by key, the least recently used dropped once their weights pass ``limit``.

    ``weight`` gives a value's share of the limit: ``len`` bounds bytes (encoded bodies), a
    constant 1 bounds the number of values (feed entries). A value heavier than the whole limit
    is not kept. ``get`` and ``set`` are what flask-compress asks of a cache backend.
    """

    def __init__(self, limit: int, weight: Callable[[V], int] = len):
        self.limit = limit
        self.weight = weight
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self._held = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            value = self._items.get(key)
            if value is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return value

    def set(self, key: Hashable, value: V) -> None:
        weight = self.weight(value)
        if weight > self.limit:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._held -= self.weight(old)
            self._items[key] = value
            self._held += weight
            while self._held > self.limit:
                _key, dropped = self._items.popitem(last=False)
                self._held -= self.weight(dropped)

    def __len__(self) -> int:
        return len(self._items)
