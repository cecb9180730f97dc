"""Which documents a search matches: the words typed, as units, most of which must be found.

Bare words are grouped into units: adjacent words forming a Vietnamese compound in this index
(their syllable pair is frequent relative to the syllables: Dice coefficient) are one pair
unit, the other words are units of their own. A document matches when it holds enough of the
units (all of one or two, all but one of three to five, all but a third of more), or every
typed word if not as the compounds, so the item that holds most of the query is found even
when it lacks one typed word; ``ranking.rank`` then puts the items holding the most of the
query first. Quoted phrases are always required.

A unit's documents come from cached term sets (``LiveSearcher.docset``, bitmaps: ``bits``),
combined with bitwise operations: a word is found folded, or as an English stem in English
text (toy/toys).
"""
from __future__ import annotations

from whoosh.query import And, Or, Term

from . import bits
from .analysis import fold, pair, stem, stemmed_pair
from .reader import LiveSearcher

PAIR_DICE = 0.25       # how strongly two syllables must belong together to be matched as a pair


def missing_allowed(units: int) -> int:
    """How many of ``units`` bare-word units a matching document may lack."""
    return 0 if units < 3 else max(1, units // 3)


def word_docs(live: LiveSearcher, folded: str) -> int:
    """Documents holding the folded word, or its English stem in their English text."""
    return live.docset("text", folded) | live.docset("stems", stem(folded))


def pair_docs(live: LiveSearcher, first: str, second: str) -> int:
    """Documents holding the two folded words side by side (stemmed, in English text)."""
    return live.docset("pairs", pair(first, second)) | live.docset("stems", stemmed_pair(first, second))


def compound_units(searcher, folded: list[str]) -> list:
    """Units of bare words: frequent syllable pairs as pair terms, the others as words."""
    n = len(folded)
    dice = [0.0] * n
    for i in range(n - 1):
        together = searcher.doc_frequency("pairs", pair(folded[i], folded[i + 1]))
        if together:
            apart = searcher.doc_frequency("text", folded[i]) + searcher.doc_frequency("text", folded[i + 1])
            dice[i] = 2 * together / apart if apart else 0.0
    best = [0.0] * (n + 2)
    take = [False] * (n + 1)
    for i in range(n - 2, -1, -1):
        best[i] = best[i + 1]
        if dice[i] >= PAIR_DICE and dice[i] + best[i + 2] > best[i]:
            best[i], take[i] = dice[i] + best[i + 2], True
    terms, i = [], 0
    while i < n:
        if i < n - 1 and take[i]:
            terms.append(Term("pairs", pair(folded[i], folded[i + 1])))
            i += 2
        else:
            terms.append(Term("text", folded[i]))
            i += 1
    return terms


def phrase_query(words: list[str]):
    """A quoted phrase: its consecutive syllable pairs, all required.

    Two words are exactly one pair term. For longer phrases the chain of pairs is nearly
    exact (a document would need every pair of the phrase, scattered, to match wrongly)
    and far cheaper than checking positions, which Whoosh does slowly.
    """
    folded = [fold(w) for w in words]
    if len(folded) == 1:
        return Term("text", folded[0])
    pairs = list(dict.fromkeys(pair(a, b) for a, b in zip(folded, folded[1:])))
    terms = [Term("pairs", p) for p in pairs]
    return terms[0] if len(terms) == 1 else And(terms)


def _unique(queries: list) -> list:
    return list({repr(q): q for q in queries}.values())


def text_units(searcher, words: list[str], phrases: list[list[str]], strict: bool) -> tuple[list, list]:
    """(units of the bare words, required phrase queries). ``strict``: compounds as pair units."""
    folded = [fold(w) for w in words]
    units = compound_units(searcher, folded) if strict else [Term("text", w) for w in folded]
    return _unique(units), _unique([phrase_query(p) for p in phrases])


def ids_query(forms: set[str]):
    if not forms:
        return None
    terms = [Term("ids", f) for f in sorted(forms)]
    return terms[0] if len(terms) == 1 else Or(terms)


def docs(live: LiveSearcher, query) -> int:
    """Documents matching ``query`` (Terms under And/Or), by bitwise operations on cached term
    sets.

    Intersecting bitmaps is much faster than Whoosh's leapfrogging matchers when the words are
    common, and a term's set is reused by later searches on the same searcher.
    """
    if isinstance(query, Term):
        if query.fieldname == "text":
            return word_docs(live, query.text)
        if query.fieldname == "pairs":
            first, _, second = query.text.partition("_")
            if second and "_" not in second:
                return pair_docs(live, first, second)
        return live.docset(query.fieldname, query.text)
    parts = [docs(live, sub) for sub in query.subqueries]
    return bits.intersection(parts) if isinstance(query, And) else bits.union(parts)


def at_least(sets: list[int], needed: int) -> int:
    """Documents found in at least ``needed`` of ``sets`` (bitmaps), by bitwise operations.

    ``reached[j]`` holds the documents found in at least ``j`` of the sets seen so far: each
    set moves up the documents it holds (a bit-sliced counter, saturating at ``needed``), one
    ``&`` and one ``|`` per set and count, never a loop over documents.
    """
    if needed <= 0 or not sets:
        return bits.EMPTY
    if needed > len(sets):
        return bits.EMPTY
    reached = [-1] + [bits.EMPTY] * needed  # -1: every bit set (at least 0 of the sets)
    for seen, docset in enumerate(sets):
        # a document still short of ``needed - remaining`` sets cannot reach ``needed``
        lowest = max(1, needed - (len(sets) - seen) + 1)
        for count in range(min(needed, seen + 1), lowest - 1, -1):
            reached[count] |= reached[count - 1] & docset
    return reached[needed]


def text_match(live: LiveSearcher, words: list[str], phrases: list[list[str]], strict: bool) -> int | None:
    """Documents holding every phrase and enough of the word units (None: no text typed)."""
    units, required = text_units(live.searcher, words, phrases, strict)
    if not units and not required:
        return None
    found: int | None = None
    for query in sorted(required, key=repr):
        part = docs(live, query)
        found = part if found is None else found & part
    if units:
        unit_sets = [docs(live, unit) for unit in units]
        needed = len(unit_sets) - min(len(unit_sets), missing_allowed(len(unit_sets) + len(required)))
        if needed:  # (with phrases, a lone word may be the one missing)
            matched = at_least(unit_sets, needed)
            if any(unit.fieldname == "pairs" for unit in units):
                # A document holding every word, if not as the compounds, matches as well.
                folded = list(dict.fromkeys(fold(w) for w in words))
                matched |= at_least([word_docs(live, w) for w in folded], len(folded))
            found = matched if found is None else found & matched
    return found
