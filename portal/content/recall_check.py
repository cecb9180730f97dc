""""Is my product recalled?": a typed or scanned barcode or batch number, looked up exactly.

A code is a GTIN barcode when it is 8, 12, 13 or 14 digits (spaces and hyphens allowed); its
GS1 check digit is then verified, and a wrong one is reported with the digit it should be,
while the code is still looked up (a misprint on a notice is found as it was printed).
Anything else is a batch number or product code, free text.

The lookup is one probe of the ``warning_code`` index (migration 0009) joined to the public
warnings as ``queries`` defines them: never a scan of the warnings.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from ..extensions import db
from . import queries
from .models import Warning, WarningCode, utcnow

GTIN_LENGTHS = (8, 12, 13, 14)
MAX_CODE_CHARS = 64     # longer than any barcode or batch number printed on a package
MAX_RESULTS = 50
MAX_CANDIDATES = 500    # warnings listing one code, public or not (a code shared by more is no identifier)
_DIGITS = re.compile(r"[0-9]+")
_SEPARATORS = re.compile(r"[\s\-]+")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


class CodeError(ValueError):
    """A code that cannot be looked up; ``reason`` is ``empty``, ``too_long`` or ``no_code``."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Code:
    """A code as typed (trimmed) and what it is."""

    text: str
    compact: str                        # without spaces and hyphens
    is_gtin: bool                       # 8, 12, 13 or 14 digits
    check_digit_ok: bool | None = None  # for a GTIN
    expected_digit: str | None = None   # the right check digit, when it is wrong


def gtin_check_digit(body: str) -> str:
    """The GS1 check digit for the digits before it (weights 3, 1, 3, ... from the right)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


def parse_code(raw: str | None) -> Code:
    """What was typed, checked; raises ``CodeError`` for nothing, too much, or no code at all."""
    if len(raw or "") > 4 * MAX_CODE_CHARS:
        raise CodeError("too_long")
    # Full-width digits become 0-9; invisible format characters (a pasted zero-width space) go.
    text = "".join(c for c in unicodedata.normalize("NFKC", raw or "") if unicodedata.category(c) != "Cf").strip()
    if not text:
        raise CodeError("empty")
    if len(text) > MAX_CODE_CHARS:
        raise CodeError("too_long")
    if any(unicodedata.category(c) == "Cc" for c in text):
        raise CodeError("no_code")
    compact = _SEPARATORS.sub("", text)
    if not any(c.isalnum() for c in compact):
        raise CodeError("no_code")
    if _DIGITS.fullmatch(compact) and len(compact) in GTIN_LENGTHS:
        expected = gtin_check_digit(compact[:-1])
        ok = expected == compact[-1]
        return Code(text, compact, True, ok, None if ok else expected)
    return Code(text, compact, False)


_CODE_LIKE = re.compile(r"[0-9A-Za-z./]+")


def looks_like_code(text: str) -> Code | None:
    """``text`` as a code when it reads like a barcode or batch number (ASCII letters, digits and
    separators, at least four digits), else None: a search for it that finds nothing is
    answered as a recall check."""
    try:
        code = parse_code(text)
    except CodeError:
        return None
    digits = sum(c.isdigit() for c in code.compact)
    return code if _CODE_LIKE.fullmatch(code.compact) and digits >= 4 else None


def normalise(code: str) -> set[str]:
    """The forms of ``code`` as ``warning_code`` stores codes (see migration 0009): without
    spaces and hyphens, lowercased (ASCII as SQLite does, and fully), an all-digit code without
    leading zeros."""
    compact = code.replace(" ", "").replace("-", "")
    forms = {compact.translate(_ASCII_LOWER), compact.lower()}
    return {(f.lstrip("0") or "0") if _DIGITS.fullmatch(f) else f for f in forms if f}


def matching_ids(code: Code) -> list[int]:
    """Ids of the warnings (public or not) listing ``code``: one probe of the code index."""
    return list(db.session.execute(ids_query(code)).scalars())


def ids_query(code: Code) -> sa.Select:
    return (sa.select(WarningCode.warning_id).where(WarningCode.code.in_(sorted(normalise(code.compact))))
            .distinct().limit(MAX_CANDIDATES))


def lookup_query(ids: list[int], lang: str | None = None, now: datetime | None = None) -> sa.Select:
    """The public warnings among ``ids``, newest first, found by primary key.

    ``lang``: one version per warning, in that language where it exists (the list pages'
    rule); None: every public version.
    """
    now = now or utcnow()
    query = queries.public_warnings(None, now).where(Warning.id.in_(ids))
    if lang:
        query = queries.prefer_language(query, Warning, lang, now)
    return query.limit(MAX_RESULTS)


def find_warnings(code: Code, lang: str | None = None, now: datetime | None = None) -> list[Warning]:
    """Public warnings listing ``code`` as a barcode, batch or product code, newest first
    (at most ``MAX_RESULTS``). Two statements, each through an index: the code's warnings
    (``warning_code``), then those of them the public may see (primary key), never a walk of
    the public warnings."""
    ids = matching_ids(code)
    if not ids:
        return []
    return list(db.session.execute(lookup_query(ids, lang, now)).scalars())
