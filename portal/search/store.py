"""Where the index lives on disk: generations, the current pointer, the outbox position.

    SEARCH_INDEX_DIR/
        CURRENT            name of the live generation (replaced atomically on rebuild)
        indexer.lock       held by the one process that follows the outbox
        gen-<stamp>/       a Whoosh index plus position.json (last outbox row applied)

A rebuild writes a new generation beside the live one and swaps CURRENT, so searches keep
working throughout. The previous generation is kept until the next swap, because searchers
opened on it may still be reading.
"""
from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, FieldType, Schema
from whoosh.formats import Existence

from .analysis import EnglishTokenizer, IdentifierTokenizer, VietTokenizer

# Bump when the schema changes; an index of another version is rebuilt (by the follower, or
# `flask search rebuild`). 2: presence-only text fields, the spelling dictionary.
# 3: English stems (``stems``).
SCHEMA_VERSION = 3


def _presence(analyzer) -> FieldType:
    return FieldType(format=Existence(), analyzer=analyzer, scorable=False, stored=False)


def make_schema() -> Schema:
    return Schema(
        key=ID(stored=True, unique=True),          # "warning:12"
        kind=ID(stored=True),                      # article | warning | sanction
        item_id=STORED,
        slug=STORED,
        lang=ID(stored=True),
        title=STORED,
        excerpt=STORED,                            # summary and body text, for snippets
        published=NUMERIC(numtype=int, bits=64, signed=True, stored=True),  # epoch seconds
        visible_from=STORED,
        visible_until=STORED,
        timed=ID,                                  # "1" when visibility can change with time
        demo=ID,                                   # "1" for illustrative enforcement results
        category=ID,
        hazards=KEYWORD(commas=True),
        risk=ID,
        # Searches match and rank with document sets (query.py, ranking.py): presence is all the
        # text fields need, no positions, frequencies or lengths (phrases are chains of pairs).
        text=_presence(VietTokenizer("folded")),
        pairs=_presence(VietTokenizer("pairs")),
        exact=_presence(VietTokenizer("exact")),   # accented words only, for exact-accent ranking
        ids=_presence(IdentifierTokenizer()),
        stems=_presence(EnglishTokenizer()),       # English text stemmed: English items, English labels
    )


@dataclass
class Position:
    """The last outbox row applied, and rows below it not yet seen (maybe still uncommitted)."""

    last: int = 0
    gaps: dict[int, float] = field(default_factory=dict)  # outbox id -> first noticed (epoch)

    def to_json(self) -> str:
        return json.dumps({"last": self.last, "gaps": {str(k): v for k, v in self.gaps.items()},
                           "schema": SCHEMA_VERSION})

    @classmethod
    def from_json(cls, text: str) -> Position:
        data = json.loads(text)
        return cls(int(data.get("last", 0)), {int(k): float(v) for k, v in data.get("gaps", {}).items()})


class IndexStore:
    """The index directory of this node."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    @property
    def pointer(self) -> Path:
        return self.root / "CURRENT"

    @property
    def lock_path(self) -> Path:
        return self.root / "indexer.lock"

    def current(self) -> Path | None:
        """The live generation's directory, or None when no index was built yet."""
        try:
            name = self.pointer.read_text().strip()
        except FileNotFoundError:
            return None
        path = self.root / name
        if not name or not path.is_dir() or not whoosh_index.exists_in(str(path)):
            return None
        return path

    def pointer_stamp(self) -> tuple[int, int] | None:
        """Changes whenever CURRENT is replaced; cheap enough to check before every search."""
        try:
            st = os.stat(self.pointer)
        except FileNotFoundError:
            return None
        return st.st_ino, st.st_mtime_ns

    def new_generation(self) -> tuple[Path, whoosh_index.Index]:
        """Create an empty index in a fresh generation directory (not yet live)."""
        self.root.mkdir(parents=True, exist_ok=True)
        path = self.root / f"gen-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
        path.mkdir()
        return path, whoosh_index.create_in(str(path), make_schema())

    def swap(self, generation: Path) -> None:
        """Make ``generation`` live; delete generations older than the one it replaces."""
        previous = self.current()
        tmp = self.root / f"CURRENT.{uuid.uuid4().hex[:8]}"
        tmp.write_text(generation.name)
        os.replace(tmp, self.pointer)
        keep = {generation.name} | ({previous.name} if previous else set())
        for path in self.root.glob("gen-*"):
            if path.is_dir() and path.name not in keep and not _younger_than(path, 600):
                shutil.rmtree(path, ignore_errors=True)

    def discard(self, generation: Path) -> None:
        shutil.rmtree(generation, ignore_errors=True)

    def open(self, generation: Path) -> whoosh_index.Index:
        return whoosh_index.open_dir(str(generation))

    @staticmethod
    def read_position(generation: Path) -> Position:
        try:
            return Position.from_json((generation / "position.json").read_text())
        except FileNotFoundError:
            return Position()

    @staticmethod
    def write_position(generation: Path, position: Position) -> None:
        tmp = generation / f"position.json.{uuid.uuid4().hex[:8]}"
        tmp.write_text(position.to_json())
        os.replace(tmp, generation / "position.json")

    @staticmethod
    def schema_version(generation: Path) -> int:
        try:
            return int(json.loads((generation / "position.json").read_text()).get("schema", 0))
        except (FileNotFoundError, ValueError):
            return 0


def _younger_than(path: Path, seconds: float) -> bool:
    """A generation still being built by a concurrent rebuild must not be deleted."""
    try:
        return time.time() - path.stat().st_mtime < seconds and not (path / "position.json").exists()
    except FileNotFoundError:
        return False
