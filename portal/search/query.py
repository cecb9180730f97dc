"""Turning what a resident typed into a search, and running it.

No query syntax is exposed: every input is plain words, "quoted phrases" and identifiers,
so ``"(((`` or ``AND OR`` is simply searched as words and can never fail to parse.

Plan of a search:
1. Words are folded and grouped into units (``matching``): adjacent words that form a
   Vietnamese compound in this index are one pair unit, the others single words. A document
   matches when it holds enough of the units (all of one or two, all but one of three to five),
   so the item holding most of the query is found even when it lacks a typed word; quoted
   phrases are required. When that finds nothing, the words are matched separately instead.
2. Identifiers (barcodes, batch, reference, decision numbers, tax codes) match exactly.
3. The matched document set is computed once, without scoring, minus what is not public now
   (scheduled, expired, demo) and narrowed by the filters; facets and the total come from it.
   Every document set is a bitmap (``bits``), so a process caches the sets of many common
   words and combines them in C.
4. Ranking (``ranking.rank``) uses set operations too: how much of the query a document holds
   (words, adjacent words found side by side, accented words found with the same accents,
   identifiers), then title words and recency for the leading candidates. Whoosh's own
   scoring walked every posting in Python and dominated query time on common words.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import NamedTuple

from markupsafe import Markup
from whoosh.reading import ReaderClosed

from . import bits, matching
from .analysis import WORD, identifier_forms, nfc
from .documents import KINDS
from .highlight import MarkTerms, mark_all, snippet
from .ranking import rank
from .reader import LiveSearcher, SearcherPool
from .suggestions import suggest

VN = timezone(timedelta(hours=7))
MAX_QUERY_CHARS = 300
MAX_WORDS = 12
MAX_PAGE = 100
PHRASE = re.compile(r'"([^"]*)"')


@dataclass
class SearchRequest:
    q: str = ""
    kind: str | None = None           # article | warning | sanction
    lang: str | None = None
    category: list[str] = field(default_factory=list)
    hazard: list[str] = field(default_factory=list)
    risk_level: list[str] = field(default_factory=list)
    date_from: date | None = None
    date_to: date | None = None
    page: int = 1
    per_page: int = 10
    suggest: bool = True              # offer "did you mean" when nothing is found
    highlight: bool = True            # mark the words in titles and cut snippets (a feed needs neither)
    ids_only: bool = False            # hits as ItemRef (kind, item_id): what feeds and alerts read

    @property
    def has_warning_filters(self) -> bool:
        return bool(self.category or self.hazard or self.risk_level or self.date_from or self.date_to)


@dataclass
class Hit:
    kind: str
    item_id: int
    slug: str
    lang: str
    title: str
    title_html: str
    snippet: str
    published_at: datetime


class ItemRef(NamedTuple):
    """A hit as a feed or an alert reads it (``SearchRequest.ids_only``)."""

    kind: str
    item_id: int


@dataclass
class SearchResult:
    request: SearchRequest
    hits: list[Hit] | list[ItemRef] = field(default_factory=list)
    total: int = 0
    facets: dict[str, int] = field(default_factory=dict)
    suggestion: str | None = None
    identifier_hit: Hit | None = None   # the query is exactly one item's identifier
    index_ready: bool = True

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.request.per_page))


@dataclass
class ParsedQuery:
    words: list[str]                    # bare words as typed (NFC)
    phrases: list[list[str]]            # quoted phrases, as words
    identifiers: set[str]               # identifier forms of the query and its tokens
    whole_identifiers: set[str]         # identifier forms of the whole query

    @property
    def empty(self) -> bool:
        return not (self.words or self.phrases or self.identifiers)

    def all_words(self) -> list[str]:
        return self.words + [w for p in self.phrases for w in p]


def parse_query(text: str) -> ParsedQuery:
    """Split input into words, quoted phrases and identifier candidates; never fails."""
    text = nfc(text or "").replace("\x00", " ")[:MAX_QUERY_CHARS].strip()
    phrases = [WORD.findall(p) for p in PHRASE.findall(text)]
    phrases = [p[:MAX_WORDS] for p in phrases if p]
    bare = WORD.findall(PHRASE.sub(" ", text))[:MAX_WORDS]
    whole: set[str] = set()
    tokens: set[str] = set()
    plain = text.replace('"', " ").strip()
    if plain and any(c.isdigit() for c in plain) and len(plain) <= 60:
        whole = identifier_forms(plain, barcode=plain.replace(" ", "").replace("-", "").isdigit())
    for token in plain.split()[:MAX_WORDS]:
        if any(c.isdigit() for c in token):
            tokens |= identifier_forms(token, barcode=token.isdigit())
    return ParsedQuery(bare, phrases, whole | tokens, whole)


def _either(*sets: int | None) -> int | None:
    present = [s for s in sets if s is not None]
    return bits.union(present) if present else None


def _day_start(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=VN).timestamp())


def _filter_set(live: LiveSearcher, request: SearchRequest) -> int | None:
    """The documents the filters allow (a bitmap), or None without filters."""
    sets: list[int] = []
    for fieldname, values in (("category", request.category), ("hazards", request.hazard),
                              ("risk", request.risk_level)):
        if values:
            sets.append(bits.union(live.docset(fieldname, value) for value in values))
    if request.date_from or request.date_to:
        start = _day_start(request.date_from) if request.date_from else None
        end = _day_start(request.date_to + timedelta(days=1)) - 1 if request.date_to else None
        sets.append(live.range_docset("published", start, end))
    if request.lang:
        sets.append(live.docset("lang", request.lang))
    return bits.intersection(sets) if sets else None


def _matched(live: LiveSearcher, parsed: ParsedQuery, hidden: int, filters: int | None,
             strict: bool = True) -> int:
    """Public documents matching the words, phrases or identifiers, narrowed by the filters
    (bitmaps, see ``bits``)."""
    ids = matching.docs(live, matching.ids_query(parsed.identifiers)) if parsed.identifiers else None
    found = _either(matching.text_match(live, parsed.words, parsed.phrases, strict), ids or None) or bits.EMPTY
    found &= ~hidden
    if filters is not None:
        found &= filters
    return found


def _hit(live: LiveSearcher, docnum: int, terms: MarkTerms | None, fields: dict | None = None) -> Hit:
    """A result; with no ``terms`` (no highlighting asked) the title is only escaped and there is no snippet."""
    fields = fields if fields is not None else live.stored_fields(docnum)
    marked = terms is not None
    return Hit(
        kind=fields["kind"], item_id=fields["item_id"], slug=fields["slug"], lang=fields["lang"],
        title=fields["title"], title_html=mark_all(fields["title"], terms) if marked else Markup.escape(fields["title"]),
        snippet=snippet(fields.get("excerpt", ""), terms) if marked else Markup(""),
        published_at=datetime.fromtimestamp(fields["published"], timezone.utc),
    )


def _run(live: LiveSearcher, parsed: ParsedQuery, request: SearchRequest, now: float,
         include_demo: bool) -> SearchResult:
    result = SearchResult(request)
    hidden = live.hidden(now, include_demo)
    filters = _filter_set(live, request)
    matched = _matched(live, parsed, hidden, filters)
    if not matched and len(parsed.words) > 1:
        matched = _matched(live, parsed, hidden, filters, strict=False)
    result.facets = {kind: bits.count(matched & live.docset("kind", kind)) for kind in KINDS}
    final = matched & live.docset("kind", request.kind) if request.kind else matched
    result.total = bits.count(final)
    terms = MarkTerms.from_words(parsed.all_words(), parsed.identifiers) if request.highlight else None

    if parsed.whole_identifiers:
        exact_ids = matching.docs(live, matching.ids_query(parsed.whole_identifiers)) & ~hidden
        if bits.count(exact_ids) == 1:
            result.identifier_hit = _hit(live, exact_ids.bit_length() - 1, terms)

    start = (request.page - 1) * request.per_page
    if start < result.total:
        ranked = rank(live, final, parsed, start + request.per_page)
        page = ranked[start:start + request.per_page]
        if request.ids_only:
            result.hits = [ItemRef(fields["kind"], fields["item_id"]) for _docnum, fields in page]
        else:
            result.hits = [_hit(live, docnum, terms, fields) for docnum, fields in page]
    elif not result.total and parsed.words and request.suggest:
        def finds(words: list[str]) -> bool:
            return bool(_matched(live, ParsedQuery(words, parsed.phrases, set(), set()), hidden, filters, strict=False))

        result.suggestion = suggest(live, parsed.words, finds)
    return result


def search(pool: SearcherPool, request: SearchRequest, now: float | None = None,
           include_demo: bool = True) -> SearchResult:
    """Run ``request`` against the current index (public items only, at ``now``)."""
    parsed = parse_query(request.q)
    if parsed.empty:
        return SearchResult(request)
    now = time.time() if now is None else now
    for attempt in range(2):
        try:
            with pool.searcher() as live:
                if live is None:
                    return SearchResult(request, index_ready=False)
                return _run(live, parsed, request, now, include_demo)
        except (ReaderClosed, OSError):
            if attempt:
                raise
            pool.close()
    raise AssertionError("unreachable")
