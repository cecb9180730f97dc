"""Vietnamese analysis: folding, pairs, identifiers and highlighting."""
from portal.search.analysis import VietTokenizer, fold, identifier_forms
from portal.search.highlight import MarkTerms, mark_all, snippet


def test_fold_drops_diacritics_and_maps_d_stroke():
    assert fold("Đường") == "duong"
    assert fold("đồ chơi") == "do chơi".replace("ơ", "o")
    assert fold("NHIỄM") == "nhiem"
    assert fold("Sữa") == "sua"


def test_tokenizer_forms():
    text = "Sữa bột trẻ em nhiễm chì"
    assert [t.text for t in VietTokenizer("folded")(text)] == ["sua", "bot", "tre", "em", "nhiem", "chi"]
    assert [t.text for t in VietTokenizer("exact")(text)] == ["sữa", "bột", "trẻ", "nhiễm", "chì"]
    assert [t.text for t in VietTokenizer("pairs")(text)] == ["sua_bot", "bot_tre", "tre_em", "em_nhiem", "nhiem_chi"]


def test_pairs_do_not_cross_segments():
    text = "nồi cơm\u2029điện tử"
    assert [t.text for t in VietTokenizer("pairs")(text)] == ["noi_com", "dien_tu"]


def test_decomposed_input_is_normalised():
    decomposed = "chi\u0300"  # "chì" typed as i + combining grave
    assert [t.text for t in VietTokenizer("exact")(decomposed)] == ["chì"]


def test_identifier_forms():
    assert {"8934567000012", "08934567000012"} & identifier_forms("0 8934567 000012", barcode=True)
    assert "8934567000012" in identifier_forms("08934567000012", barcode=True)
    assert "a12/02685/24" in identifier_forms("A12/02685/24")
    assert "125/qd-xphc" in identifier_forms("125/QĐ-XPHC")
    assert "lot2024-05" in identifier_forms("LOT 2024-05")


def test_unaccented_query_marks_accented_words():
    html = str(mark_all("Sữa bột nhiễm chì & chi phí", MarkTerms.from_words(["chi"])))
    assert html == "Sữa bột nhiễm <mark>chì</mark> &amp; <mark>chi</mark> phí"


def test_accented_query_marks_only_exact_words():
    html = str(mark_all("Bút chì, chi phí <b>", MarkTerms.from_words(["chì"])))
    assert html == "Bút <mark>chì</mark>, chi phí &lt;b&gt;"


def test_snippet_centres_on_matches():
    text = " ".join(["mở đầu"] * 40) + " sản phẩm nhiễm chì cần thu hồi " + " ".join(["kết thúc"] * 40)
    html = str(snippet(text, MarkTerms.from_words(["nhiem", "chi"]), length=12))
    assert "<mark>nhiễm</mark> <mark>chì</mark>" in html
    assert html.startswith("… ") and html.endswith(" …")


from hypothesis import given, settings, strategies as st

from portal.search.analysis import nfc, words
from portal.search.highlight import _render, _snippet_by_words

ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĐƯÊáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ" \
    "0123456789 _-/.,;:!?\"'<>&“”…–\u00a0\u0301ΣσςЖжK\u212aİß"
WORDS = ["chì", "chi", "nhiễm", "nhiem", "sữa", "sua", "bot", "bột", "đồ", "do", "893456", "lot2024", "a12/0001"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(WORDS), st.text(ALPHABET, max_size=12)), max_size=80),
       st.lists(st.sampled_from(WORDS), min_size=1, max_size=4), st.integers(3, 40))
def test_fast_snippet_and_marks_equal_the_word_by_word_ones(parts, query, length):
    text = " ".join(parts)
    digits = {w for w in query if any(c.isdigit() for c in w)}
    terms = MarkTerms.from_words([w for w in query if w not in digits], digits)
    assert snippet(text, terms, length=length) == _snippet_by_words(nfc(text), terms, length)
    assert mark_all(text, terms) == _render(nfc(text), words(nfc(text)), terms, 0, len(nfc(text)))
