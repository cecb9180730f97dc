"""One searcher per process, refreshed when the index changed, with per-searcher caches.

Web requests only read. Opening a searcher costs over 100 ms on a large index, refreshing an
unchanged one a few microseconds, so a process keeps one and refreshes it before each search.
A refresh can race a concurrent commit (``ReaderClosed``, or a vanished segment file): then
the index is simply reopened. A rebuild swaps the generation directory; the pointer's stamp
tells us to open the new one.
"""
from __future__ import annotations

import math
import os
import threading
from collections import OrderedDict
from contextlib import contextmanager
from typing import Iterator

from whoosh.query import NumericRange, Term
from whoosh.reading import MultiReader, ReaderClosed
from whoosh.searching import Searcher

from .store import IndexStore

_DOCSET_CACHE = 64


class LiveSearcher:
    """A Whoosh searcher plus document sets computed once for it (filters, visibility)."""

    def __init__(self, searcher):
        self.searcher = searcher
        self._docsets: OrderedDict[tuple, frozenset[int]] = OrderedDict()
        self._hidden: dict[bool, tuple[float, float, frozenset[int]]] = {}

    def docset(self, fieldname: str, value: str) -> frozenset[int]:
        """Documents whose ``fieldname`` holds the term ``value`` (cached)."""
        return self._cached(("term", fieldname, value), lambda: Term(fieldname, value))

    def range_docset(self, fieldname: str, start: int | None, end: int | None) -> frozenset[int]:
        return self._cached(("range", fieldname, start, end), lambda: NumericRange(fieldname, start, end))

    def _cached(self, key: tuple, make_query) -> frozenset[int]:
        found = self._docsets.get(key)
        if found is None:
            found = frozenset(self.searcher.docs_for_query(make_query()))
            self._docsets[key] = found
            if len(self._docsets) > _DOCSET_CACHE:
                self._docsets.popitem(last=False)
        else:
            self._docsets.move_to_end(key)
        return found

    def hidden(self, now: float, include_demo: bool) -> frozenset[int]:
        """Documents not public at ``now``: scheduled, expired, or demo data when excluded.

        Only documents flagged ``timed`` can be hidden; the set is reused until the next
        moment at which some document's visibility changes.
        """
        cached = self._hidden.get(include_demo)
        if cached and cached[0] <= now < cached[1]:
            return cached[2]
        hidden: set[int] = set() if include_demo else set(self.docset("demo", "1"))
        next_change = math.inf
        for docnum in self.searcher.docs_for_query(Term("timed", "1")):
            if docnum in hidden:
                continue
            fields = self.searcher.stored_fields(docnum)
            start, until = fields.get("visible_from", 0.0), fields.get("visible_until", math.inf)
            if now < start:
                hidden.add(docnum)
                next_change = min(next_change, start)
            elif now >= until:
                hidden.add(docnum)
            else:
                next_change = min(next_change, until)
        result = frozenset(hidden)
        self._hidden[include_demo] = (now, next_change, result)
        return result

    def close(self) -> None:
        try:
            self.searcher.close()
        except Exception:  # noqa: BLE001 - closing a searcher whose files vanished is harmless
            pass


def refreshed(ix, searcher):
    """A searcher on the latest commit, reusing the readers of unchanged segments.

    Whoosh's own ``Searcher.refresh()`` reuses a segment's reader whenever the segment id is
    unchanged, even when the commit deleted documents in it: an updated document would then
    be found twice, a withdrawn one would stay. Here a reader is reused only if its
    segment's deletions are unchanged; the others are closed and opened again.
    """
    toc = ix._read_toc()
    latest = {segment.segment_id(): segment for segment in toc.segments}
    keep, drop = [], []
    for reader, _ in searcher.ixreader.leaf_readers():
        segment = reader.segment()
        now = latest.get(segment.segment_id()) if segment is not None else None
        (keep if now is not None and now.deleted_count() == segment.deleted_count() else drop).append(reader)
    for reader in drop:
        reader.close()
    reuse = MultiReader(keep) if keep else None
    reader = ix._reader(ix.storage, toc.schema, list(toc.segments), toc.generation, reuse=reuse)
    return Searcher(reader, fromindex=ix)


class SearcherPool:
    """The process's searcher: use it only inside ``with pool.searcher() as live``."""

    def __init__(self, store: IndexStore):
        self.store = store
        self._lock = threading.RLock()
        self._live: LiveSearcher | None = None
        self._index = None
        self._stamp = None
        self._pid = os.getpid()

    @contextmanager
    def searcher(self) -> Iterator[LiveSearcher | None]:
        """The current searcher (None when no index exists yet), held for one search."""
        with self._lock:
            yield self._current()

    def _current(self) -> LiveSearcher | None:
        if self._pid != os.getpid():  # forked after opening: start afresh
            self._live, self._index, self._stamp, self._pid = None, None, None, os.getpid()
        stamp = self.store.pointer_stamp()
        if self._live is None or stamp != self._stamp:
            return self._reopen(stamp)
        try:
            if not self._live.searcher.up_to_date():
                self._live = LiveSearcher(refreshed(self._index, self._live.searcher))
        except (ReaderClosed, OSError, EOFError, ValueError, TypeError):
            # TypeError: Whoosh cannot refresh a searcher opened on an index with no segments.
            return self._reopen(stamp)
        return self._live

    def _reopen(self, stamp) -> LiveSearcher | None:
        if self._live is not None:
            self._live.close()
        self._live = self._index = None
        generation = self.store.current()
        if generation is None:
            self._stamp = None
            return None
        self._index = self.store.open(generation)
        self._live = LiveSearcher(self._index.searcher())
        self._stamp = stamp
        return self._live

    def close(self) -> None:
        with self._lock:
            if self._live is not None:
                self._live.close()
            self._live = self._index = None
