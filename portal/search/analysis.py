"""Vietnamese text analysis: tokens, diacritic folding, syllable pairs, identifiers.

Three forms of the same text are indexed:
- folded words ("Sữa bột trẻ em nhiễm chì" -> sua bot tre em nhiem chi), with positions,
  so unaccented and accented queries match the same documents and phrases;
- folded syllable pairs (sua_bot bot_tre tre_em ...): Vietnamese words are mostly two
  syllables, and a pair is a far rarer term than either syllable, so multi-word queries are
  both more precise and much cheaper to match;
- exact lowercased words that carry diacritics (đ included), to rank "chì" (lead) above
  "chi"; words without any are already in the folded form.

English text (English items, and the English labels every item carries) is also indexed
stemmed (``EnglishTokenizer``: Snowball English stems and stemmed pairs), so "toy" finds
"toys" and "recall" finds "recalled". Vietnamese text is never stemmed: a Vietnamese word is
one syllable and an English stemmer would merge syllables that differ ("tuy" and "túi").

The classes below are pickled into the index schema: keep them importable under this
module path, or existing indexes stop opening (then run ``flask search rebuild``).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Iterator

from whoosh.analysis import Token, Tokenizer
from whoosh.lang.snowball.english import EnglishStemmer

WORD = re.compile(r"\w+")
# Segments of an indexed text are joined with this character; no phrase or pair crosses it.
SEGMENT_BREAK = "\u2029"
_SEGMENT_GAP = 100


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """Lowercase and drop diacritics; đ/Đ become d (NFD alone leaves đ untouched)."""
    word = word.lower().replace("đ", "d")
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFD", word)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


@lru_cache(maxsize=200_000)
def exact(word: str) -> str:
    """Lowercase, diacritics kept (NFC)."""
    return word.lower()


def has_diacritics(word: str) -> bool:
    return fold(word) != word.lower()


def words(text: str) -> list[tuple[str, int, int]]:
    """The words of ``text`` (NFC) as (word, start, end) character offsets."""
    return [(m.group(), m.start(), m.end()) for m in WORD.finditer(text)]


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


def pair(first: str, second: str) -> str:
    return f"{first}_{second}"


class VietTokenizer(Tokenizer):
    """One-pass tokenizer producing the folded, exact or pair form of each word."""

    def __init__(self, form: str = "folded"):
        if form not in ("folded", "exact", "pairs"):
            raise ValueError(form)
        self.form = form

    def __eq__(self, other):
        return type(other) is type(self) and other.form == self.form

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = value
            t.boost = 1.0
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        pos = start_pos
        previous = None
        convert = exact if self.form == "exact" else fold
        accented_only = self.form == "exact"
        for index, segment in enumerate(_segments(value)):
            if index:
                pos += _SEGMENT_GAP
                previous = None
            for raw, start, end in segment:
                word = convert(raw)
                if self.form == "pairs":
                    if previous is not None:
                        t.text = pair(previous, word)
                        t.boost = 1.0
                        t.stopped = False
                        if positions:
                            t.pos = pos
                        yield t
                    previous = word
                    pos += 1
                    continue
                if accented_only and word.isascii():
                    # Unaccented words are already in the folded field; only accents rank here.
                    pos += 1
                    continue
                t.text = word
                t.boost = 1.0
                t.stopped = False
                if keeporiginal:
                    t.original = raw
                if positions:
                    t.pos = pos
                if chars:
                    t.startchar = start_char + start
                    t.endchar = start_char + end
                pos += 1
                yield t


# The same text is analysed three times in a row (folded, pairs, exact): split it once.
_last_split: tuple[str, list] = ("", [])


def _segments(value: str) -> list[list[tuple[str, int, int]]]:
    """Words of each segment of ``value`` with offsets into the NFC text (cached for the last value)."""
    global _last_split
    last_value, last_result = _last_split
    if value is last_value or value == last_value:
        return last_result
    text = nfc(value)
    result, offset = [], 0
    for segment in text.split(SEGMENT_BREAK):
        result.append([(m.group(), offset + m.start(), offset + m.end()) for m in WORD.finditer(segment)])
        offset += len(segment) + 1
    _last_split = (value, result)
    return result


_STEMMER = EnglishStemmer()


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """The English stem of a folded word ("toys" -> "toy", "recalled" -> "recal")."""
    return _STEMMER.stem(word) if word.isascii() and word.isalpha() else word


def stemmed_pair(first: str, second: str) -> str:
    """The stemmed form of a syllable pair term (both parts already folded)."""
    return pair(stem(first), stem(second))


def english_forms(value: str) -> set[str]:
    """The terms of the stemmed field for ``value``: stems of its folded words and stemmed pairs."""
    terms: set[str] = set()
    for segment in nfc(value).split(SEGMENT_BREAK):
        stems = [stem(fold(w)) for w in WORD.findall(segment)]
        terms.update(stems)
        terms.update(map(pair, stems, stems[1:]))
    return terms


class EnglishTokenizer(Tokenizer):
    """Stems of English text and their pairs, for a presence-only field (no positions)."""

    def __eq__(self, other):
        return type(other) is type(self)

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        terms = english_forms(value) if tokenize else [value]
        for pos, term in enumerate(sorted(terms)):
            t.text = term
            t.boost = 1.0
            t.stopped = False
            if positions:
                t.pos = start_pos + pos
            yield t


class IdentifierTokenizer(Tokenizer):
    """Identifiers, one per line, kept whole (already normalised by the document builder)."""

    def __eq__(self, other):
        return type(other) is type(self)

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, line in enumerate(value.split("\n") if tokenize else [value]):
            line = line.strip().lower()
            if not line:
                continue
            t.text = line
            t.boost = 1.0
            t.stopped = False
            if positions:
                t.pos = start_pos + pos
            yield t


_SPACES = re.compile(r"\s+")


def identifier_forms(value: str, *, barcode: bool = False) -> set[str]:
    """Forms under which an identifier is indexed and looked up.

    Lowercased as written, without spaces, folded (QĐ -> qd), and for digit strings
    (barcodes, tax codes) without leading zeros, so a UPC-A matches its EAN-13 with a 0.
    """
    raw = nfc(value).strip().lower()
    if not raw:
        return set()
    compact = _SPACES.sub("", raw)
    forms = {raw, compact, _fold_text(raw), _fold_text(compact)}
    digits = compact.replace("-", "")
    if digits.isdigit() and (barcode or len(digits) >= 6):
        forms.add(digits)
        stripped = digits.lstrip("0")
        if stripped:
            forms.add(stripped)
    return {f for f in forms if f and "\n" not in f}


def _fold_text(text: str) -> str:
    return WORD.sub(lambda m: fold(m.group()), text)


def text_forms(value: str) -> tuple[set[str], set[str], set[str]]:
    """The terms the three text fields get from ``value`` in one pass: folded words,
    folded syllable pairs, exact accented words (the same terms as ``VietTokenizer``'s forms)."""
    folded: set[str] = set()
    pairs: set[str] = set()
    accented: set[str] = set()
    for segment in nfc(value).split(SEGMENT_BREAK):
        raw = WORD.findall(segment)
        if not raw:
            continue
        converted = list(map(fold, raw))
        folded.update(converted)
        pairs.update(map("_".join, zip(converted, converted[1:])))
        if not segment.isascii():
            accented.update(map(exact, raw))
    return folded, pairs, {a for a in accented if not a.isascii()}
