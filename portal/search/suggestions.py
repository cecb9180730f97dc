"""Did you mean: corrections for unknown words, offered only when they find something public."""
from __future__ import annotations

from typing import Callable

from .analysis import fold
from .reader import LiveSearcher


def suggest(live: LiveSearcher, words: list[str], finds: Callable[[list[str]], bool]) -> str | None:
    """A corrected query for unknown ``words``, offered only if ``finds(corrected)`` says it
    finds something public (so no word of an unpublished item is ever suggested)."""
    searcher = live.searcher
    corrector = searcher.corrector("text")
    corrected, changed, tries = [], False, 0
    for word in words:
        folded = fold(word)
        if searcher.doc_frequency("text", folded) == 0 and 2 < len(folded) <= 30 and tries < 3:
            tries += 1
            # prefix=1: only terms with the same first letter are compared (typos rarely start
            # a word, and scanning the whole term list takes over a second on a large index).
            options = corrector.suggest(folded, limit=20, maxdist=2 if len(folded) > 4 else 1, prefix=1)
            if options:
                corrected.append(min(options, key=lambda o: (_distance(folded, o),
                                                             -searcher.doc_frequency("text", o), o)))
                changed = True
                continue
        corrected.append(word)
    if not changed:
        return None
    if not finds(corrected):
        return None
    return " ".join(corrected)


def _distance(a: str, b: str) -> int:
    """Levenshtein distance (the corrector orders its candidates by frequency, not closeness)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]
