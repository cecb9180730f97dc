"""Did you mean: corrections for unknown words, at a bounded cost whatever the index size.

The words of the index (folded, letters only) are kept in a small SQLite file beside the
Whoosh index of each generation, with their deletions in the style of SymSpell: every form of
a word's first ``PREFIX`` letters with up to two letters removed points to the word. A typed
word is looked up by its own deletions only (at most 29 keys), and each key returns at most
``KEY_LIMIT`` words, so a suggestion costs the same with a thousand words as with millions;
the vocabulary is never scanned. The rebuild writes the file with the index; the outbox
follower adds the words of the documents it indexes (words of removed documents stay, and
are harmless: a correction is offered only if it finds something public).

Identifiers (any token with a digit: barcodes, batch and reference numbers) are neither
stored nor corrected.
"""
from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Callable, Iterable

from .analysis import fold

FILENAME = "words.sqlite3"
PREFIX = 7            # letters of a word whose deletions are stored (SymSpell's prefix length)
MAX_DISTANCE = 2
MIN_WORD, MAX_WORD = 3, 30
KEY_LIMIT = 16        # words read per deletion key
MAX_TRIES = 3         # unknown words of one query looked up


def correctable(word: str) -> bool:
    """A folded word that may be stored or corrected: letters only, of a sensible length."""
    return MIN_WORD <= len(word) <= MAX_WORD and word.isalpha()


def max_distance(word: str) -> int:
    return MAX_DISTANCE if len(word) > 4 else 1


def deletions(word: str, distance: int = MAX_DISTANCE) -> list[set[str]]:
    """The forms of ``word[:PREFIX]`` with exactly 0, 1, ... ``distance`` letters removed."""
    head = word[:PREFIX]
    levels = [{head}]
    for removed in range(1, distance + 1):
        levels.append({"".join(head[i] for i in range(len(head)) if i not in gone)
                       for gone in combinations(range(len(head)), removed)} - set().union(*levels))
    return levels


def _keys(word: str) -> set[str]:
    """Deletion keys stored for a dictionary word (keys shorter than two letters are never asked)."""
    return {key for level in deletions(word) for key in level if len(key) >= 2}


@dataclass
class Work:
    """What a lookup cost: keys looked up and candidate words examined."""

    lookups: int = 0
    candidates: int = 0


class SpellingDictionary:
    """The deletion dictionary of one index generation (``FILENAME`` in its directory)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._con: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    @classmethod
    def of(cls, generation: Path) -> SpellingDictionary:
        return cls(Path(generation) / FILENAME)

    def exists(self) -> bool:
        return self.path.exists()

    def _connection(self) -> sqlite3.Connection:
        if self._con is None:
            con = sqlite3.connect(self.path, timeout=30, check_same_thread=False, isolation_level=None)
            con.execute("PRAGMA journal_mode=WAL")
            con.execute("CREATE TABLE IF NOT EXISTS words (word TEXT PRIMARY KEY) WITHOUT ROWID")
            con.execute("CREATE TABLE IF NOT EXISTS deletes (key TEXT, word TEXT, PRIMARY KEY (key, word))"
                        " WITHOUT ROWID")
            self._con = con
        return self._con

    def add_words(self, words: Iterable[str]) -> int:
        """Store the words not stored yet (folded; identifiers and odd lengths skipped)."""
        wanted = sorted({w for w in words if correctable(w)})
        if not wanted:
            return 0
        with self._lock:
            con = self._connection()
            known: set[str] = set()
            for start in range(0, len(wanted), 500):
                chunk = wanted[start:start + 500]
                marks = ",".join("?" * len(chunk))
                known.update(row[0] for row in con.execute(f"SELECT word FROM words WHERE word IN ({marks})", chunk))
            new = [w for w in wanted if w not in known]
            if not new:
                return 0
            con.execute("BEGIN IMMEDIATE")
            try:
                con.executemany("INSERT OR IGNORE INTO words VALUES (?)", ((w,) for w in new))
                con.executemany("INSERT OR IGNORE INTO deletes VALUES (?, ?)",
                                ((key, w) for w in new for key in _keys(w)))
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
            return len(new)

    def candidates(self, word: str, distance: int, work: Work | None = None) -> list[str]:
        """Stored words within ``distance`` edits of ``word`` (both folded), nearest first.

        Costs at most ``1 + p + p(p-1)/2`` key lookups (p = PREFIX) of ``KEY_LIMIT`` rows each.
        """
        work = work if work is not None else Work()
        if not self.exists():
            return []
        found: dict[str, int] = {}
        with self._lock:
            con = self._connection()
            for level, keys in enumerate(deletions(word, distance)):
                for key in sorted(keys):
                    if len(key) < 2:
                        continue
                    work.lookups += 1
                    rows = con.execute("SELECT word FROM deletes WHERE key = ? LIMIT ?", (key, KEY_LIMIT))
                    for (candidate,) in rows:
                        if candidate in found:
                            continue
                        work.candidates += 1
                        found[candidate] = levenshtein(word, candidate, distance + 1)
                # The nearest words share a key of level 0 or 1 with the word: stop if one is found.
                if level >= 1 and any(d <= 1 for d in found.values()):
                    break
        near = [(d, w) for w, d in found.items() if d <= distance and w != word]
        return [w for _, w in sorted(near)]

    def close(self) -> None:
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None


def suggest(live, words: list[str], finds: Callable[[list[str]], bool], work: Work | None = None) -> str | None:
    """A corrected query for unknown ``words``, offered only if ``finds(corrected)`` says it
    finds something public (so no word of an unpublished item is ever suggested)."""
    dictionary: SpellingDictionary | None = getattr(live, "spelling", None)
    if dictionary is None:
        return None
    searcher = live.searcher
    corrected, changed, tries = [], False, 0
    for word in words:
        folded = fold(word)
        if correctable(folded) and tries < MAX_TRIES and searcher.doc_frequency("text", folded) == 0:
            tries += 1
            distance = max_distance(folded)
            options = [(levenshtein(folded, o, distance + 1), -searcher.doc_frequency("text", o), o)
                       for o in dictionary.candidates(folded, distance, work)]
            options = [o for o in options if o[1] < 0]  # still in the index
            if options:
                corrected.append(min(options)[2])
                changed = True
                continue
        corrected.append(word)
    if not changed or not finds(corrected):
        return None
    return " ".join(corrected)


def levenshtein(a: str, b: str, cap: int = 1 << 30) -> int:
    """Edit distance between ``a`` and ``b`` (values above ``cap`` are reported as ``cap``)."""
    if abs(len(a) - len(b)) >= cap:
        return cap
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) >= cap:
            return cap
        previous = current
    return min(previous[-1], cap)
