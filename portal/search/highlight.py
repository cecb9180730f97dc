"""Snippets with the matched words marked, in the original accented text.

Whoosh's highlighter ignores accents (for "bảo" it also marks "báo") and re-analyses whole
documents. Here a word is marked by the same comparison the query used: a query word typed
without diacritics marks every word that folds to it ("chi" marks "chì"), a word typed with
diacritics marks only the same word ("chì" marks "chì", not "chi"). Everything else is escaped.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from markupsafe import Markup, escape

from .analysis import WORD, exact, fold, has_diacritics, nfc, words


class MarkTerms:
    """The words a query marks: folded (typed without diacritics), accented, identifiers."""

    def __init__(self, folded: frozenset[str], accented: frozenset[str], identifiers: frozenset[str] = frozenset()):
        self.folded, self.accented, self.identifiers = folded, accented, identifiers
        self._seen: dict[str, bool] = {}

    @classmethod
    def from_words(cls, query_words: list[str], identifiers: set[str] | None = None) -> MarkTerms:
        folded = {fold(w) for w in query_words if not has_diacritics(w)}
        accented = {exact(w) for w in query_words if has_diacritics(w)}
        return cls(frozenset(folded), frozenset(accented), frozenset(identifiers or ()))

    def matches(self, word: str) -> bool:
        found = self._seen.get(word)
        if found is None:
            found = fold(word) in self.folded or exact(word) in self.accented or word.lower() in self.identifiers
            self._seen[word] = found
        return found

    def __bool__(self) -> bool:
        return bool(self.folded or self.accented or self.identifiers)


def mark_all(text: str, terms: MarkTerms) -> Markup:
    """The whole ``text`` escaped, with matched words in <mark>."""
    text = nfc(text)
    spans = _match_spans(text, terms)
    if spans is None:
        return _render(text, words(text), terms, 0, len(text))
    return _render_spans(text, spans, 0, len(text))


def snippet(text: str, terms: MarkTerms, length: int = 32) -> Markup:
    """A window of about ``length`` words around the densest group of matches: the window
    starting at a match (four words before it shown) holding the most distinct matched words,
    then the most matches; the first such window wins."""
    text = nfc(text)
    spans = _match_spans(text, terms)
    if spans is None:
        return _snippet_by_words(text, terms, length)
    if WORD.search(text) is None:
        return Markup("")
    # Word index of each matched word, counting the words between matches in C.
    indexed, count, pos = [], 0, 0
    for start, end in spans:
        count += len(WORD.findall(text, pos, start))
        indexed.append((count, start, fold(text[start:end])))
        count += 1
        pos = end
    first, char_start = 0, 0
    if indexed:
        best, best_score, right, seen = indexed[0], -1, 0, {}
        for left, (index, _, _) in enumerate(indexed):
            while right < len(indexed) and indexed[right][0] < index + length:
                seen[indexed[right][2]] = seen.get(indexed[right][2], 0) + 1
                right += 1
            score = len(seen) * 100 + (right - left)
            if score > best_score:
                best, best_score = indexed[left], score
            word = indexed[left][2]
            seen[word] -= 1
            if not seen[word]:
                del seen[word]
        first = max(0, best[0] - 4)
        if first:
            char_start = _word_start_before(text, best[1], best[0] - first)
    window = []
    for match in WORD.finditer(text, char_start):
        window.append(match)
        if len(window) > length:
            break
    more = len(window) > length
    char_end = window[length - 1].end() if more else len(text)
    body = _render_spans(text, [s for s in spans if char_start <= s[0] and s[1] <= char_end], char_start, char_end)
    prefix = Markup("… ") if first else Markup("")
    suffix = Markup(" …") if more else Markup("")
    return prefix + body + suffix


def _word_start_before(text: str, char: int, back: int) -> int:
    """Where the word ``back`` words before the one starting at ``char`` starts."""
    reach = 200
    while True:
        low = max(0, char - reach)
        found = [m.start() for m in WORD.finditer(text, low, char)]
        # A word cut at ``low`` is never among the last ``back`` if more words than that are found.
        if len(found) > back or (low == 0 and len(found) >= back):
            return found[-back]
        if low == 0:
            return found[0] if found else 0
        reach *= 4


def _snippet_by_words(text: str, terms: MarkTerms, length: int) -> Markup:
    """``snippet`` word by word, for text the character-wise matcher cannot fold."""
    tokens = words(text)
    if not tokens:
        return Markup("")
    hits = [i for i, (word, _, _) in enumerate(tokens) if terms.matches(word)]
    start = 0
    if hits:
        best, best_score = hits[0], -1
        for i in hits:
            window = [tokens[j][0] for j in hits if i <= j < i + length]
            score = len({fold(w) for w in window}) * 100 + len(window)
            if score > best_score:
                best, best_score = i, score
        start = max(0, best - 4)
    end = min(len(tokens), start + length)
    char_start = tokens[start][1] if start else 0
    char_end = tokens[end - 1][2] if end < len(tokens) else len(text)
    body = _render(text, tokens[start:end], terms, char_start, char_end)
    prefix = Markup("… ") if start else Markup("")
    suffix = Markup(" …") if end < len(tokens) else Markup("")
    return prefix + body + suffix


def _render(text: str, tokens, terms: MarkTerms, char_start: int, char_end: int) -> Markup:
    return _render_spans(text, [(start, end) for word, start, end in tokens if terms.matches(word)],
                         char_start, char_end)


def _render_spans(text: str, spans, char_start: int, char_end: int) -> Markup:
    out = []
    cursor = char_start
    for start, end in spans:
        out.append(str(escape(text[cursor:start])))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        cursor = end
    out.append(str(escape(text[cursor:char_end])))
    return Markup("".join(out))


# Text whose every character lowercases and folds to exactly one character, keeping its
# kind (word character or not), is folded character by character with offsets unchanged and
# matched by regular expressions. Latin letters with or without diacritics (Vietnamese,
# French, German ...), digits, punctuation and spaces qualify; text holding anything else
# (letters of other scripts, stray combining marks) is matched word by word instead.
_WORD_ONLY = re.compile(r"\w+")
_IS_WORD = re.compile(r"\w")
_LATIN_RANGES = ((0x00C0, 0x024F), (0x1E00, 0x1EFF))
_qualified: set[str] = {chr(c) for c in range(128)}
_refused: set[str] = set()
# Folded letter -> the lowercase characters folding to it (for character classes).
_variants: dict[str, set[str]] = {}


def _qualifies(char: str) -> bool:
    if char in _qualified:
        return True
    if char in _refused:
        return False
    lower, folded = char.lower(), fold(char)
    word = bool(_IS_WORD.match(char))
    latin = any(low <= ord(char) <= high for low, high in _LATIN_RANGES)
    ok = (len(lower) == 1 and len(folded) == 1 and not unicodedata.combining(char)
          and (latin or not word) and fold(lower) == folded
          and bool(_IS_WORD.match(lower)) == word and bool(_IS_WORD.match(folded)) == word)
    (_qualified if ok else _refused).add(char)
    return ok


def _letter_class(letter: str) -> str:
    """A regular-expression class of the lowercase characters folding to ``letter``."""
    if not _variants:
        for low, high in ((0, 127),) + _LATIN_RANGES:
            for code in range(low, high + 1):
                char = chr(code)
                if _qualifies(char) and _qualifies(char.lower()):
                    _variants.setdefault(fold(char), set()).add(char.lower())
    found = _variants.get(letter, set()) | {letter}
    return re.escape(letter) if len(found) == 1 else "[" + "".join(map(re.escape, sorted(found))) + "]"


def _match_spans(text: str, terms: MarkTerms) -> list[tuple[int, int]] | None:
    """(start, end) of every word of ``text`` that ``terms`` marks, in order; None when the text
    does not qualify for character-wise folding (then words are compared one by one)."""
    if not terms:
        return []
    if not text.isascii():
        rest = set(text) - _qualified
        if rest and not all(_qualifies(char) for char in rest):
            return None
    lowered = text.lower()
    if len(lowered) != len(text):
        return None
    spans: set[tuple[int, int]] = set()
    exact_words = frozenset(w for w in terms.accented | terms.identifiers if _WORD_ONLY.fullmatch(w))
    if terms.folded:
        spans.update(m.span() for m in _pattern(terms.folded, True).finditer(lowered))
    if exact_words:
        spans.update(m.span() for m in _pattern(exact_words, False).finditer(lowered))
    return sorted(spans)


@lru_cache(maxsize=512)
def _pattern(alternatives: frozenset[str], folded: bool) -> re.Pattern:
    """Whole words of lowercased text equal to one of ``alternatives`` (``folded``: equal once
    folded, each letter standing for its variants with diacritics)."""
    ordered = sorted(alternatives, key=lambda w: (-len(w), w))
    spell = (lambda w: "".join(map(_letter_class, w))) if folded else re.escape
    return re.compile(r"(?<!\w)(?:" + "|".join(map(spell, ordered)) + r")(?!\w)")
