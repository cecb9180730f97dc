"""One searcher per process, refreshed when the index changed, with per-searcher caches.

Web requests only read. Opening a searcher costs over 100 ms on a large index, refreshing an
unchanged one a few microseconds, so a process keeps one and refreshes it before each search.
A refresh can race a concurrent commit (``ReaderClosed``, or a vanished segment file): then
the index is simply reopened. A rebuild swaps the generation directory; the pointer's stamp
tells us to open the new one.
"""
from __future__ import annotations

import bisect
import math
import os
import sys
import threading
from collections import OrderedDict
from contextlib import contextmanager
from typing import Iterator

from whoosh.matching.wrappers import FilterMatcher
from whoosh.query import NumericRange, Term
from whoosh.reading import MultiReader, ReaderClosed
from whoosh.searching import Searcher

from . import bits
from .store import IndexStore
from .suggestions import SpellingDictionary

# Cached document sets (bitmaps, see bits.py), bounded by the bytes they take; config
# SEARCH_CACHE_MB sets it. At 100,000 items a set takes at most 12.5 KB, so 64 MB hold 5,000 or more
# (the search benchmark's 210 queries use 1,100 sets of 7 MB).
DEFAULT_DOCSET_BUDGET = 64 * 1024 * 1024


class SegmentCache:
    """Term document sets per segment (bitmaps of the segment's own document numbers) and the
    stored fields of documents read, shared by this process's successive searchers, at most
    ``budget`` bytes of them.

    A commit adds a small segment and leaves the others' files as they were, so the sets of
    the large segments survive it and the first search after a publication stays fast.
    """

    def __init__(self, budget: int = DEFAULT_DOCSET_BUDGET):
        self.budget = budget
        self._sets: OrderedDict[tuple, int | dict] = OrderedDict()
        self._held = 0
        self._lock = threading.Lock()

    def get(self, reader, fieldname: str, value: str) -> int:
        segment = reader.segment()
        if segment is None:
            return leaf_docs(reader, fieldname, value)
        return self._kept((segment.segment_id(), fieldname, value), lambda: leaf_docs(reader, fieldname, value))

    def stored(self, reader, docnum: int) -> dict:
        """The stored fields of the segment's document ``docnum`` (its own number), kept in the
        same byte budget as the sets: the feed of a search reads those of its 200 best matches,
        the search page those of its candidates, and the same documents come up again and again."""
        segment = reader.segment()
        if segment is None:
            return reader.stored_fields(docnum)
        # No field is called "": never a set's key.
        return self._kept((segment.segment_id(), "", docnum), lambda: reader.stored_fields(docnum))

    def _kept(self, key: tuple, make):
        """The value kept under ``key``, else ``make()``'s, kept (the oldest dropped past the budget)."""
        with self._lock:
            found = self._sets.get(key)
            if found is not None:
                self._sets.move_to_end(key)
                return found
        found = make()
        with self._lock:
            if key not in self._sets:
                self._sets[key] = found
                self._held += _size_of(found)
            while self._held > self.budget and len(self._sets) > 1:
                self._held -= _size_of(self._sets.popitem(last=False)[1])
        return found


def _size_of(held) -> int:
    """Bytes a cached value takes: a bitmap's, or a stored-fields dict's (its table and values)."""
    if isinstance(held, int):
        return bits.size_in_bytes(held)
    return sys.getsizeof(held) + sum(sys.getsizeof(name) + sys.getsizeof(value) for name, value in held.items())


class LiveSearcher:
    """A Whoosh searcher plus document sets computed once for it (filters, visibility).

    Every document set is a bitmap of the searcher's document numbers (``bits``)."""

    def __init__(self, searcher, segment_cache: SegmentCache | None = None, spelling=None):
        self.searcher = searcher
        self.spelling = spelling  # the generation's SpellingDictionary (did you mean), or None
        self.segment_cache = segment_cache if segment_cache is not None else SegmentCache()
        self.leaves = [(reader, offset) for reader, offset in searcher.ixreader.leaf_readers()]
        self._offsets = [offset for _, offset in self.leaves]
        self._deleted: int | None = None
        self._docsets: OrderedDict[tuple, int] = OrderedDict()
        self._held = 0
        self._hidden: dict[bool, tuple[float, float, int]] = {}

    def docset(self, fieldname: str, value: str) -> int:
        """Documents whose ``fieldname`` holds the term ``value`` (cached; may include
        documents deleted since: subtract ``deleted()``)."""
        key = ("term", fieldname, value)
        found = self._docsets.get(key)
        if found is not None:
            self._docsets.move_to_end(key)
            return found
        found = bits.EMPTY
        for reader, offset in self.leaves:
            found |= self.segment_cache.get(reader, fieldname, value) << offset
        self._remember(key, found)
        return found

    def stored_fields(self, docnum: int) -> dict:
        """The stored fields of document ``docnum`` (kept per segment, see `SegmentCache.stored`).
        The dict is shared: read it, never change it."""
        leaf = bisect.bisect_right(self._offsets, docnum) - 1
        reader, offset = self.leaves[leaf]
        return self.segment_cache.stored(reader, docnum - offset)

    def deleted(self) -> int:
        """Documents deleted in this searcher's segments (updated or removed items)."""
        if self._deleted is None:
            out: list[int] = []
            for reader, offset in self.leaves:
                segment = reader.segment()
                if segment is not None and segment.has_deletions():
                    out.extend(d + offset for d in segment.deleted_docs())
            self._deleted = bits.from_ids(out)
        return self._deleted

    def range_docset(self, fieldname: str, start: int | None, end: int | None) -> int:
        return self._cached(("range", fieldname, start, end), lambda: NumericRange(fieldname, start, end))

    def _cached(self, key: tuple, make_query) -> int:
        found = self._docsets.get(key)
        if found is None:
            found = bits.from_ids(self.searcher.docs_for_query(make_query()))
            self._remember(key, found)
        else:
            self._docsets.move_to_end(key)
        return found

    def _remember(self, key: tuple, found: int) -> None:
        self._docsets[key] = found
        self._held += bits.size_in_bytes(found)
        while self._held > self.segment_cache.budget and len(self._docsets) > 1:
            self._held -= bits.size_in_bytes(self._docsets.popitem(last=False)[1])

    def hidden(self, now: float, include_demo: bool) -> int:
        """Documents not public at ``now``: scheduled, expired, or demo data when excluded.

        Only documents flagged ``timed`` can be hidden; the set is reused until the next
        moment at which some document's visibility changes.
        """
        cached = self._hidden.get(include_demo)
        if cached and cached[0] <= now < cached[1]:
            return cached[2]
        hidden = self.deleted()
        if not include_demo:
            hidden |= self.docset("demo", "1")
        now_hidden: list[int] = []
        next_change = math.inf
        for docnum in self.searcher.docs_for_query(Term("timed", "1")):
            if hidden >> docnum & 1:
                continue
            fields = self.searcher.stored_fields(docnum)
            start, until = fields.get("visible_from", 0.0), fields.get("visible_until", math.inf)
            if now < start:
                now_hidden.append(docnum)
                next_change = min(next_change, start)
            elif now >= until:
                now_hidden.append(docnum)
            else:
                next_change = min(next_change, until)
        hidden |= bits.from_ids(now_hidden)
        self._hidden[include_demo] = (now, next_change, hidden)
        return hidden

    def close(self) -> None:
        try:
            self.searcher.close()
        except Exception:  # noqa: BLE001 - closing a searcher whose files vanished is harmless
            pass


def refreshed(ix, searcher):
    """A searcher on the latest commit, reusing the readers of segments still in the index.

    Whoosh's own ``Searcher.refresh()`` reuses a segment's reader whenever the segment id is
    unchanged, even when the commit deleted documents in it, so an updated document would
    be found twice and a withdrawn one would stay. Reopening such a segment instead costs
    as much as opening the whole index. The segment's files do not change with deletions,
    only its deletion list does: the reused reader is given the new segment record.
    """
    toc = ix._read_toc()
    latest = {segment.segment_id(): segment for segment in toc.segments}
    keep = []
    for reader, _ in searcher.ixreader.leaf_readers():
        segment = reader.segment()
        now = latest.get(segment.segment_id()) if segment is not None else None
        if now is not None and now.deleted_count() != segment.deleted_count():
            now = now if _adopt_segment(reader, now) else None
        if now is None:
            reader.close()
        else:
            keep.append(reader)
    reuse = MultiReader(keep) if keep else None
    reader = ix._reader(ix.storage, toc.schema, list(toc.segments), toc.generation, reuse=reuse)
    return Searcher(reader, fromindex=ix)


def _adopt_segment(reader, segment) -> bool:
    """Point a segment reader at the newer record of its segment (same files, more deletions)."""
    perdoc = getattr(reader, "_perdoc", None)
    if not hasattr(reader, "_segment") or not hasattr(perdoc, "_segment"):
        return False
    reader._segment = segment
    perdoc._segment = segment
    return True


def leaf_docs(reader, fieldname: str, value: str) -> int:
    """Document numbers (local to one segment, as a bitmap) holding a term, deleted ones included
    (searches subtract ``LiveSearcher.deleted()``, so the set stays valid after deletions)."""
    if (fieldname, value) not in reader:
        return bits.EMPTY
    matcher = reader.postings(fieldname, value)
    if isinstance(matcher, FilterMatcher):  # the deletion filter: not needed, see above
        matcher = matcher.child
    if not all(hasattr(matcher, name) for name in ("_read_ids", "_next_block", "_ids", "_i", "_blocklength")):
        return bits.from_ids(matcher.all_ids())
    # Whoosh's generic all_ids() makes two method calls per posting; the postings are stored
    # in blocks of ids, which can be taken a block at a time.
    ids: list[int] = []
    while matcher.is_active():
        if matcher._ids is None:
            matcher._read_ids()
        ids.extend(matcher._ids[matcher._i:matcher._blocklength])
        matcher._next_block()
    return bits.from_ids(ids)


class SearcherPool:
    """The process's searcher: use it only inside ``with pool.searcher() as live``."""

    def __init__(self, store: IndexStore, budget: int = DEFAULT_DOCSET_BUDGET):
        self.store = store
        self.budget = budget
        self._lock = threading.RLock()
        self._live: LiveSearcher | None = None
        self._index = None
        self._stamp = None
        self._pid = os.getpid()
        self.segment_cache = SegmentCache(self.budget)

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
                self._live = LiveSearcher(refreshed(self._index, self._live.searcher), self.segment_cache,
                                          self._live.spelling)
        except (ReaderClosed, OSError, EOFError, ValueError, TypeError):
            # TypeError: Whoosh cannot refresh a searcher opened on an index with no segments.
            return self._reopen(stamp)
        return self._live

    def _reopen(self, stamp) -> LiveSearcher | None:
        if self._live is not None:
            self._live.close()
            if self._live.spelling is not None:
                self._live.spelling.close()
        self._live = self._index = None
        generation = self.store.current()
        if generation is None:
            self._stamp = None
            return None
        self._index = self.store.open(generation)
        self.segment_cache = SegmentCache(self.budget)
        self._live = LiveSearcher(self._index.searcher(), self.segment_cache, SpellingDictionary.of(generation))
        self._stamp = stamp
        return self._live

    def close(self) -> None:
        with self._lock:
            if self._live is not None:
                self._live.close()
                if self._live.spelling is not None:
                    self._live.spelling.close()
            self._live = self._index = None
