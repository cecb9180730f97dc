"""Snippets with the matched words marked, in the original accented text.

Whoosh's highlighter ignores accents (for "bảo" it also marks "báo") and re-analyses whole
documents. Here a word is marked by the same comparison the query used: a query word typed
without diacritics marks every word that folds to it ("chi" marks "chì"), a word typed with
diacritics marks only the same word ("chì" marks "chì", not "chi"). Everything else is escaped.
"""
from __future__ import annotations

from markupsafe import Markup, escape

from .analysis import exact, fold, has_diacritics, nfc, words


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
    return _render(text, words(text), terms, 0, len(text))


def snippet(text: str, terms: MarkTerms, length: int = 32) -> Markup:
    """A window of about ``length`` words around the densest group of matches."""
    text = nfc(text)
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
    out = []
    cursor = char_start
    for word, start, end in tokens:
        if not terms.matches(word):
            continue
        out.append(str(escape(text[cursor:start])))
        out.append(f"<mark>{escape(word)}</mark>")
        cursor = end
    out.append(str(escape(text[cursor:char_end])))
    return Markup("".join(out))
