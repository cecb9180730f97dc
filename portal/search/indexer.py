"""The indexer: follows the search outbox, and rebuilds the index from the database.

The database is the source of truth. Each content change writes a ``search_outbox`` row in
its own transaction; the indexer reads rows after the last one it applied, reads each
item's current row, upserts or deletes its document, commits the Whoosh writer, and only
then records the new position (in the generation directory). Applying a row twice is
harmless, so a crash at any point loses nothing: the rows are simply applied again.

Outbox ids can commit out of order on PostgreSQL (a transaction holding id 10 commits after
the one holding id 11). Ids skipped over are remembered as gaps and looked for again for a
while, so a late commit is still applied.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from typing import Callable, Iterable

import sqlalchemy as sa
from filelock import FileLock, Timeout
from flask import Flask
from whoosh.query import Term

from ..content.models import SearchOutbox
from ..extensions import db

from . import nodes
from .analysis import text_forms
from .build import BulkWriter
from .documents import KINDS, build_document, doc_key
from .reader import refreshed
from .store import SCHEMA_VERSION, IndexStore, Position
from .suggestions import SpellingDictionary

log = logging.getLogger(__name__)

BATCH = 500
GAP_WAIT = 300.0  # seconds an unseen outbox id is looked for before it is given up
POLL_INTERVAL = 0.25
WRITER_TIMEOUT = 30.0
# Small batches are committed without merging (fast); segments are merged past this count.
MAX_SEGMENTS = 12


def _documents(keys: Iterable[tuple[str, int]]) -> dict[tuple[str, int], dict | None]:
    """The current index document (or None: remove it) of each (item_type, item_id)."""
    wanted: dict[str, set[int]] = {}
    for item_type, item_id in keys:
        wanted.setdefault(item_type, set()).add(item_id)
    out: dict[tuple[str, int], dict | None] = {}
    now = time.time()
    for item_type, ids in wanted.items():
        model = KINDS.get(item_type)
        found = {}
        if model is not None:
            for chunk in _chunks(sorted(ids), 400):
                rows = db.session.execute(sa.select(model).where(model.id.in_(chunk))).scalars()
                found.update({row.id: row for row in rows})
        for item_id in ids:
            row = found.get(item_id)
            out[(item_type, item_id)] = build_document(row, now) if row is not None else None
    return out


def _chunks(values: list, size: int):
    for start in range(0, len(values), size):
        yield values[start:start + size]


def write_documents(ix, documents: dict[tuple[str, int], dict | None], timeout: float,
                    searcher=None) -> None:
    """Upsert or delete documents in one Whoosh commit (raises LockError after ``timeout``).

    ``searcher``, if given, is a searcher kept by the indexer: old versions are found with it
    instead of the writer opening a reader of the whole index for every commit.
    """
    writer = ix.writer(timeout=timeout, delay=0.05)
    try:
        if searcher is not None:
            searcher = _matching(ix, searcher, writer)
        for (item_type, item_id), document in documents.items():
            key = doc_key(item_type, item_id)
            if searcher is not None:
                for docnum in searcher.docs_for_query(Term("key", key)):
                    writer.delete_document(docnum)
            else:
                writer.delete_by_term("key", key)
            if document is not None:
                writer.add_document(**document)
    except BaseException:
        writer.cancel()
        raise
    writer.commit(merge=len(writer.segments) >= MAX_SEGMENTS)


def words_of(documents: dict[tuple[str, int], dict | None]) -> set[str]:
    """The folded words of the documents' text (for the spelling dictionary)."""
    words: set[str] = set()
    for document in documents.values():
        if document is not None:
            words |= text_forms(document["text"])[0]
    return words


def _matching(ix, searcher, writer):
    """``searcher`` brought to the commit the writer starts from (same segments, same numbers)."""
    if searcher.ixreader.generation() != writer.generation - 1:
        searcher = refreshed(ix, searcher)
    if searcher.ixreader.generation() != writer.generation - 1:
        return None
    return searcher


class Indexer:
    """Applies outbox rows to this node's index. Call inside an application context."""

    def __init__(self, store: IndexStore):
        self.store = store
        self._generation = None
        self._ix = None
        self._searcher = None
        self._spelling: SpellingDictionary | None = None

    def _open(self, generation):
        """The index of ``generation`` and a searcher on it, kept between batches."""
        if generation != self._generation:
            self.close()
            self._ix = self.store.open(generation)
            self._searcher = self._ix.searcher()
            self._spelling = SpellingDictionary.of(generation)
            self._generation = generation
        return self._ix

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
        if self._spelling is not None:
            self._spelling.close()
        self._generation = self._ix = self._searcher = self._spelling = None

    def apply_pending(self, batch: int = BATCH, timeout: float = WRITER_TIMEOUT) -> int:
        """Apply the outbox rows not yet applied, in order; returns how many rows were applied."""
        generation = self.store.current()
        if generation is None or self.store.schema_version(generation) != SCHEMA_VERSION:
            rebuild(self.store)
            return 0
        # Opened before anything is pending, so the first publication does not wait for it.
        ix = self._open(generation)
        applied = 0
        while True:
            position = self.store.read_position(generation)
            rows = self._pending(position, batch)
            if not rows:
                self._expire_gaps(generation, position)
                db.session.rollback()
                return applied
            keys = dict.fromkeys((row.item_type, row.item_id) for row in rows)
            documents = _documents(keys)
            db.session.rollback()  # end the read transaction before the (slower) index write
            write_documents(ix, documents, timeout, self._searcher)
            self._spelling.add_words(words_of(documents))
            self._searcher = refreshed(ix, self._searcher)
            self.store.write_position(generation, self._advance(position, [row.id for row in rows]))
            applied += len(rows)
            if len(rows) < batch:
                return applied

    def _pending(self, position: Position, batch: int) -> list[SearchOutbox]:
        query = sa.select(SearchOutbox).where(SearchOutbox.id > position.last)
        if position.gaps:
            query = sa.select(SearchOutbox).where(sa.or_(SearchOutbox.id > position.last,
                                                         SearchOutbox.id.in_(list(position.gaps))))
        return list(db.session.execute(query.order_by(SearchOutbox.id).limit(batch)).scalars())

    @staticmethod
    def _advance(position: Position, ids: list[int]) -> Position:
        now = time.time()
        gaps = {k: v for k, v in position.gaps.items() if k not in ids}
        last = position.last
        for outbox_id in sorted(i for i in ids if i > position.last):
            for missing in range(last + 1, outbox_id):
                if outbox_id - missing < 10_000:
                    gaps.setdefault(missing, now)
            last = outbox_id
        return Position(last, gaps)

    def _expire_gaps(self, generation, position: Position) -> None:
        now = time.time()
        kept = {k: v for k, v in position.gaps.items() if now - v < GAP_WAIT}
        if len(kept) != len(position.gaps):
            self.store.write_position(generation, Position(position.last, kept))


def newest_outbox_id() -> int:
    return db.session.execute(sa.select(sa.func.max(SearchOutbox.id))).scalar() or 0


def rebuild(store: IndexStore, progress: Callable[[int], None] | None = None,
            on_total: Callable[[int], None] | None = None) -> int:
    """Build a complete index from the database beside the live one, then swap it in.

    One pass over the rows, read in id order a thousand at a time; the documents go into a
    single segment through ``BulkWriter`` (see build.py), then the spelling dictionary is
    written from the index's words. Returns the number of documents indexed. The outbox
    position recorded is the newest row before reading started, so changes made during the
    rebuild are applied afterwards.
    """
    start = newest_outbox_id()
    db.session.rollback()
    counts = {kind: db.session.execute(sa.select(sa.func.count()).select_from(model)).scalar()
              for kind, model in KINDS.items()}
    if on_total:
        on_total(sum(counts.values()))
    generation, ix = store.new_generation()
    indexed = 0
    try:
        writer = BulkWriter(ix)
        try:
            now = time.time()
            for kind, model in KINDS.items():
                last_id = 0
                while True:
                    rows = list(db.session.execute(
                        sa.select(model).where(model.id > last_id).order_by(model.id).limit(1000)).scalars())
                    if not rows:
                        break
                    for row in rows:
                        document = build_document(row, now)
                        if document is not None:
                            writer.add_document(document)
                            indexed += 1
                    last_id = rows[-1].id
                    if progress:
                        progress(len(rows))
                    db.session.expunge_all()
            words = list(writer.plain.get("text", ()))
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        SpellingDictionary.of(generation).add_words(words)
        SpellingDictionary.of(generation).close()
    except BaseException:
        store.discard(generation)
        raise
    finally:
        db.session.rollback()
    store.write_position(generation, Position(last=start))
    store.swap(generation)
    return indexed


class Follower:
    """Runs the indexer in a daemon thread in the one process holding the directory's lock.

    Every process starts one (lazily, on its first request); the others keep trying the lock
    now and then, so if the indexing process dies another takes over.
    """

    def __init__(self, app: Flask, store: IndexStore, interval: float = POLL_INTERVAL):
        self.app = app
        self.store = store
        self.interval = interval
        self.thread: threading.Thread | None = None
        self.leader = False
        self._stop = threading.Event()
        self._pid = None

    def start(self) -> None:
        if self.thread is not None and self._pid == os.getpid():
            return
        self._pid = os.getpid()
        self.thread = threading.Thread(target=self._run, name="search-indexer", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        self.store.root.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(self.store.lock_path), thread_local=False)
        while not self._stop.is_set():
            try:
                lock.acquire(timeout=0)
            except Timeout:
                self._stop.wait(5.0)
                continue
            self.leader = True
            try:
                self._follow()
            finally:
                self.leader = False
                lock.release()

    def _follow(self) -> None:
        indexer = Indexer(self.store)
        node = nodes.NodeTracker(self.app, self.store)
        failures = 0
        while not self._stop.is_set():
            try:
                with self.app.app_context():
                    node.catch_up()  # rebuilds when rows this index needs were pruned
                    indexer.apply_pending()
                    node.report()  # records this node's position; prunes what all nodes applied
                    db.session.remove()
                failures = 0
            except Exception:  # noqa: BLE001 - keep following; the rows are applied next time
                indexer.close()
                failures += 1
                log.exception("search indexer: applying the outbox failed (attempt %d)", failures)
            self._stop.wait(self.interval if not failures else min(30.0, self.interval * 2 ** failures))
