"""Searching the fixture corpus: accents, ranking, phrases, identifiers, filters, visibility."""
from datetime import date, datetime, timedelta, timezone

from portal.search import bits, service
from portal.search.query import SearchRequest


def slugs(q, **kwargs):
    return [hit.slug for hit in service.run_search(SearchRequest(q=q, **kwargs)).hits]


def test_unaccented_multiword_query_finds_the_accented_warning(corpus):
    assert slugs("sua tre em nhiem chi")[0] == "sua-bot-nhiem-chi"


def test_accented_and_unaccented_queries_match_the_same_documents(corpus):
    assert set(slugs("sữa bột")) == set(slugs("sua bot")) and "sua-bot-nhiem-chi" in slugs("sua bot")


def test_d_stroke_folds_to_d(corpus):
    assert "chi-phi-sua-chua" in slugs("dong do")
    assert "chi-phi-sua-chua" in slugs("Đông Đô")


def test_exact_diacritics_rank_first(corpus):
    lead = slugs("chì")
    assert set(lead[:2]) == {"sua-bot-nhiem-chi", "but-chi-mau"}
    assert "chi-phi-sua-chua" in lead  # still found, but after the exact matches
    assert lead.index("chi-phi-sua-chua") > 1


def test_phrase_with_and_without_diacritics(corpus):
    assert slugs('"nhiễm chì"') == ["sua-bot-nhiem-chi"]
    assert slugs('"nhiem chi"') == ["sua-bot-nhiem-chi"]
    assert slugs('"chì nhiễm"') == []
    assert slugs('"trẻ nuốt phải"') == ["do-choi-nam-cham"]


def test_highlighting_marks_original_words(corpus):
    hit = service.run_search(SearchRequest(q="nhiem chi")).hits[0]
    assert "<mark>nhiễm</mark> <mark>chì</mark>" in str(hit.title_html)
    exact = service.run_search(SearchRequest(q="chì")).hits
    cost = next(h for h in exact if h.slug == "chi-phi-sua-chua")
    assert "<mark>" not in str(cost.title_html)


def test_without_highlighting_the_same_results_come_unmarked(corpus):
    """The search feed asks for no highlighting: the same documents in the same order, titles
    escaped without marks and no snippets (it reads only kinds and ids)."""
    marked = service.run_search(SearchRequest(q="nhiem chi", per_page=50)).hits
    plain = service.run_search(SearchRequest(q="nhiem chi", per_page=50, highlight=False)).hits
    assert [(h.kind, h.item_id) for h in plain] == [(h.kind, h.item_id) for h in marked] and plain
    assert all("<mark>" not in str(h.title_html) and not h.snippet for h in plain)
    assert any("<mark>" in str(h.snippet) for h in marked)


def test_english_is_searchable(corpus):
    assert "lead-in-baby-formula" in slugs("formula lead")


def test_barcode_variants_find_the_warning(corpus):
    for q in ("036000291452", "0036000291452", "036 000 291 452", "36000291452"):
        assert slugs(q)[0] == "but-chi-mau", q


def test_exact_barcode_is_an_identifier_hit(corpus):
    result = service.run_search(SearchRequest(q="8931111111116"))
    assert result.identifier_hit is not None and result.identifier_hit.slug == "do-choi-nam-cham"
    shared = service.run_search(SearchRequest(q="8934567000012"))  # Vietnamese and English warning
    assert shared.identifier_hit is None and shared.total == 2


def test_reference_batch_decision_and_tax_code(corpus):
    assert slugs("A12/02685/24")[0] == "sua-bot-nhiem-chi"
    assert slugs("sr/00949/26")[0] == "but-chi-mau"
    assert slugs("LOT 2024-05")[0] == "sua-bot-nhiem-chi"
    assert slugs("125/QĐ-XPHC")[0] == "xu-phat-dai-phat"
    assert slugs("125/QD-XPHC")[0] == "xu-phat-dai-phat"
    assert slugs("0201234567") == ["xu-phat-dai-phat"]


def test_facets_and_type_filter(corpus):
    result = service.run_search(SearchRequest(q="sữa bột"))
    assert result.facets == {"warning": 1, "article": 0, "sanction": 1}
    only = service.run_search(SearchRequest(q="sữa bột", kind="sanction"))
    assert [h.slug for h in only.hits] == ["xu-phat-dai-phat"] and only.facets["warning"] == 1


def test_warning_filters(corpus):
    assert slugs("chì", category=["toys"]) == ["but-chi-mau"]
    assert slugs("chì", risk_level=["serious"]) == ["sua-bot-nhiem-chi"]
    assert slugs("nam châm", hazard=["choking"]) == ["do-choi-nam-cham"]
    assert slugs("nam châm", hazard=["fire"]) == []
    today = datetime.now(timezone(timedelta(hours=7))).date()
    assert set(slugs("chì", kind="warning", date_from=today - timedelta(days=6))) == {"but-chi-mau",
                                                                                      "chi-phi-sua-chua"}
    assert slugs("chì", date_to=today - timedelta(days=8)) == ["sua-bot-nhiem-chi"]
    assert slugs("chì", date_from=date(2000, 1, 1), date_to=date(2000, 1, 2)) == []


def test_drafts_scheduled_and_expired_items_are_not_found(corpus):
    assert "ban-nhap" not in slugs("bản nháp sữa bột giả")
    assert slugs("sắp công bố") == []
    assert slugs("Hoàng Long") == []


def test_scheduled_item_appears_when_its_time_comes(corpus):
    later = (datetime.now(timezone.utc) + timedelta(days=3)).timestamp()
    assert [h.slug for h in service.run_search(SearchRequest(q="sắp công bố"), now=later).hits] == ["sap-cong-bo"]


def test_enforcement_result_leaves_after_its_window(corpus):
    later = (datetime.now(timezone.utc) + timedelta(days=21)).timestamp()
    assert service.run_search(SearchRequest(q="Đại Phát"), now=later).total == 0
    assert service.run_search(SearchRequest(q="Đại Phát")).total == 1


def test_demo_enforcement_results_hidden_when_demo_content_is_off(app, corpus):
    app.config["PORTAL_DEMO_CONTENT"] = False
    assert slugs("Đại Phát") == []
    app.config["PORTAL_DEMO_CONTENT"] = True
    assert slugs("Đại Phát") == ["xu-phat-dai-phat"]


def test_pagination(app, corpus):
    first = service.run_search(SearchRequest(q="sản phẩm", per_page=2))
    second = service.run_search(SearchRequest(q="sản phẩm", per_page=2, page=2))
    assert first.total == second.total >= 3
    assert not {h.slug for h in first.hits} & {h.slug for h in second.hits}
    beyond = service.run_search(SearchRequest(q="sản phẩm", per_page=2, page=50))
    assert beyond.hits == [] and beyond.total == first.total


def test_did_you_mean(corpus):
    result = service.run_search(SearchRequest(q="nam chamm"))
    assert result.total == 0 and result.suggestion == "nam cham"
    assert service.run_search(SearchRequest(q="zzzzqqq")).suggestion is None


def test_suggestion_never_reveals_scheduled_words(corpus):
    # "sắp" only occurs in the scheduled warning: a misspelling of it must not be corrected to it.
    assert service.run_search(SearchRequest(q="sapp cong bo")).suggestion is None


def test_a_tiny_set_cache_evicts_but_answers_the_same(app, corpus):
    queries = ["sua tre em nhiem chi", "chì", "nam châm", "8934567000012", "bút chì màu"]
    expected = [slugs(q) for q in queries]
    state = service.state(app)
    state.pool.budget = 3  # bytes: less than any set takes; the next searcher uses it
    state.pool.close()
    assert [slugs(q) for q in queries] == expected
    assert state.pool.segment_cache._held <= 3 or len(state.pool.segment_cache._sets) == 1


def test_ranking_by_groups_equals_ranking_document_by_document():
    import random

    from portal.search import ranking

    rng = random.Random(3)
    for _ in range(200):
        final = bits.from_ids(rng.sample(range(2000), rng.randint(0, 600)))
        features = [(bits.from_ids(rng.sample(range(2000), rng.randint(0, 1500))), rng.choice([0.5, 1.25, 3.0, 7.7]))
                    for _ in range(rng.randint(0, 8))]
        pool = rng.randint(1, 80)
        assert ranking._best(final, features, pool) == ranking._best_by_document(final, features, pool)


def test_stored_fields_kept_per_segment_are_the_documents_and_follow_an_edit(app, corpus):
    """The stored fields a search reads are kept per (segment, document): the same dict the next
    time, equal to what Whoosh stores, and an edited item's new fields once it is indexed again
    (its new version is a new document in a new segment)."""
    from portal.content.services import record_change
    from portal.extensions import db

    state = service.state(app)
    with state.pool.searcher() as live:
        for docnum in range(live.searcher.doc_count_all()):
            assert live.stored_fields(docnum) == live.searcher.stored_fields(docnum)
            assert live.stored_fields(docnum) is live.stored_fields(docnum)
    assert [hit.title for hit in service.run_search(SearchRequest(q="bút chì màu")).hits][0] == "Bút chì màu có sơn chứa chì"
    from portal.content.models import Warning

    pencil = db.session.scalar(db.select(Warning).where(Warning.slug == "but-chi-mau"))
    pencil.title = "Bút chì màu 24 cây có sơn chứa chì"
    record_change(pencil, "save")
    db.session.commit()
    service.apply_pending()
    hits = service.run_search(SearchRequest(q="bút chì màu")).hits
    assert [hit.title for hit in hits if hit.slug == "but-chi-mau"] == ["Bút chì màu 24 cây có sơn chứa chì"]
    with state.pool.searcher() as live:
        for docnum in range(live.searcher.doc_count_all()):
            assert live.stored_fields(docnum) == live.searcher.stored_fields(docnum)


def test_stored_fields_count_in_the_cache_budget(app, corpus):
    from portal.search.reader import _size_of

    state = service.state(app)
    with state.pool.searcher() as live:
        cache = live.segment_cache
        cache.budget = 1500  # bytes: a few stored-field dicts at most
        for docnum in range(live.searcher.doc_count_all()):
            assert live.stored_fields(docnum) == live.searcher.stored_fields(docnum)
        assert cache._held <= 1500 or len(cache._sets) == 1
        assert cache._held == sum(_size_of(value) for value in cache._sets.values())


def test_ids_only_hits_are_the_same_items_in_the_same_order(corpus):
    for q in ("chì", "sua tre em", "nam châm", "8934567000012", "sản phẩm"):
        full = service.run_search(SearchRequest(q=q, per_page=50))
        refs = service.run_search(SearchRequest(q=q, per_page=50, ids_only=True))
        assert full.hits and refs.total == full.total and refs.facets == full.facets
        assert [(ref.kind, ref.item_id) for ref in refs.hits] == [(hit.kind, hit.item_id) for hit in full.hits]
