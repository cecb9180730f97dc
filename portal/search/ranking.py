"""Ordering the matched documents of a search, with set operations rather than Whoosh scoring.

A document's score is how much of the query it holds, each part weighted by its rarity (idf):
the words, the adjacent words found side by side, the accented words found with exactly those
accents, identifiers. A document lacking one typed word but holding the rest as a phrase
therefore ranks above one holding every word scattered. Exact accents weigh less than a word,
so a document is not put first for its accents alone when it lacks what was asked for.
"""
from __future__ import annotations

import heapq
import math
from functools import lru_cache
from typing import TYPE_CHECKING

from . import bits
from .analysis import WORD, exact, fold, has_diacritics
from .matching import pair_docs, word_docs
from .reader import LiveSearcher

if TYPE_CHECKING:  # query.py imports this module
    from .query import ParsedQuery

WORD_WEIGHT = 1.0      # weight of a query word held (times its idf)
PAIR_WEIGHT = 1.0      # weight of two adjacent query words held side by side
ACCENT_BOOST = 1.5     # weight of a word held with exactly the accents typed
CANDIDATES = 40        # documents beyond the page looked at closely (title, date) when ranking


def _idf(total: int, frequency: int) -> float:
    return math.log(1 + total / max(1, frequency))


# Beyond this many groups of documents with the same features, scores are summed per document.
MAX_GROUPS = 4096


def _best(final: int, features: list[tuple[int, float]], pool: int) -> list[tuple[int, float]]:
    """The ``pool`` documents of ``final`` with the highest summed feature weight, ties (and
    documents without any feature, last) by the highest document number, with their scores.

    ``final`` and the features' documents are bitmaps (``bits``). ``final`` is split into
    groups of documents having the same features, with bitwise operations (in C) instead of
    adding weights document by document: common words give features of tens of thousands of
    documents, but only a few distinct groups.
    """
    groups: list[tuple[int, list[int]]] = [(final, [])]
    for index, (docs, _) in enumerate(features):
        split = []
        for members, owned in groups:
            inside = members & docs
            if not inside:
                split.append((members, owned))
            elif inside == members:
                split.append((members, owned + [index]))
            else:
                split.append((inside, owned + [index]))
                split.append((members & ~inside, owned))
        groups = split
        if len(groups) > MAX_GROUPS:
            return _best_by_document(final, features, pool)
    by_score: dict[float, list] = {}
    unscored: list = []
    for members, owned in groups:
        if not owned:
            unscored.append(members)
            continue
        score = 0.0
        for index in owned:  # summed in feature order, as document by document
            score += features[index][1]
        by_score.setdefault(score, []).append(members)
    candidates: list[tuple[int, float]] = []
    for score in sorted(by_score, reverse=True):
        if len(candidates) >= pool:
            break
        same = bits.union(by_score[score])
        candidates += [(d, score) for d in bits.largest(same, pool - len(candidates))]
    if len(candidates) < pool and unscored:
        candidates += [(d, 0.0) for d in bits.largest(bits.union(unscored), pool - len(candidates))]
    return candidates


def _best_by_document(final: int, features: list[tuple[int, float]], pool: int) -> list[tuple[int, float]]:
    """``_best`` with scores summed document by document (for many distinct groups)."""
    scores: dict[int, float] = {}
    scored = bits.EMPTY
    for docs, weight in features:
        held = docs & final
        scored |= held
        for docnum in bits.members(held):
            scores[docnum] = scores.get(docnum, 0.0) + weight
    candidates = heapq.nlargest(pool, scores, key=lambda d: (scores[d], d))
    if len(candidates) < pool:
        candidates += bits.largest(final & ~scored, pool - len(candidates))
    return [(d, scores.get(d, 0.0)) for d in candidates]


@lru_cache(maxsize=8192)
def _title_words(title: str) -> frozenset[str]:
    """The folded words of a title: the same candidates come up search after search (about
    1.4 KB a title, so at most ~11 MB a process)."""
    return frozenset(fold(w) for w in WORD.findall(title))


def rank(live: LiveSearcher, final: int, parsed: ParsedQuery, needed: int) -> list[tuple[int, dict]]:
    """The first ``needed`` documents of ``final`` in order of relevance, with stored fields.

    Relevance is how much of the query a document holds, counted with set operations rather
    than Whoosh's per-posting scoring (which dominated query time): the query's words, its
    adjacent words found side by side (syllable pairs), the accented words found with exactly
    those accents, identifiers matched, and then, for the leading candidates, query words in
    the title and the publication time.
    """
    searcher = live.searcher
    total = max(1, searcher.doc_count_all())
    folded_groups = [[fold(w) for w in parsed.words]] + [[fold(w) for w in p] for p in parsed.phrases]
    features: list[tuple[int, float]] = []
    for word in dict.fromkeys(w for group in folded_groups for w in group):
        docs = word_docs(live, word)
        if final & ~docs:  # a word every matched document holds orders nothing
            features.append((docs, WORD_WEIGHT * _idf(total, bits.count(docs))))
    for group in folded_groups:
        for a, b in dict.fromkeys(zip(group, group[1:])):
            docs = pair_docs(live, a, b)
            features.append((docs, PAIR_WEIGHT * _idf(total, bits.count(docs))))
    for word in dict.fromkeys(parsed.all_words()):
        if has_diacritics(word):
            docs = live.docset("exact", exact(word))
            features.append((docs, ACCENT_BOOST * _idf(total, bits.count(docs))))
    for form in sorted(parsed.identifiers):
        docs = live.docset("ids", form)
        features.append((docs, 10 * _idf(total, bits.count(docs))))
    # Candidates: the best scored, then (ties, or nothing scored) the most recently indexed.
    pool = needed + CANDIDATES
    candidates = _best(final, features, pool)
    title_words = {w for group in folded_groups for w in group}
    word_idf = {w: _idf(total, bits.count(live.docset("text", w))) for w in title_words}
    ranked = []
    for docnum, score in candidates:
        fields = live.stored_fields(docnum)
        in_title = _title_words(fields.get("title", "")) & title_words
        bonus = sum(word_idf[w] for w in in_title)
        ranked.append((score + bonus, fields.get("published", 0), docnum, fields))
    ranked.sort(key=lambda row: (row[0], row[1], row[2]), reverse=True)
    return [(docnum, fields) for _, _, docnum, fields in ranked[:needed]]
