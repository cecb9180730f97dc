"""Did you mean: a deletion dictionary whose cost is bounded whatever the vocabulary's size."""
import random
import string

import pytest

from portal.search import service, suggestions
from portal.search.query import SearchRequest
from portal.search.suggestions import SpellingDictionary, Work, deletions
from tests.factories import create, warning_data

# Keys of one lookup: the word's first PREFIX letters with 0, 1 or 2 letters removed.
MAX_KEYS = 1 + suggestions.PREFIX + suggestions.PREFIX * (suggestions.PREFIX - 1) // 2


def vocabulary(size, seed=1):
    """``size`` distinct words that all start like the words looked up below (the worst case
    for a first-letter scan), of 5 to 9 letters."""
    rng = random.Random(seed)
    words = set()
    while len(words) < size:
        words.add("ch" + "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 7))))
    return sorted(words)


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    dictionary = SpellingDictionary(tmp_path_factory.mktemp("words") / "words.sqlite3")
    dictionary.add_words(vocabulary(20_000) + ["cham", "chanh", "thuong", "nhiem"])
    yield dictionary
    dictionary.close()


def test_deletions_of_a_word():
    levels = deletions("cham")
    assert levels[0] == {"cham"}
    assert levels[1] == {"ham", "cam", "chm", "cha"}
    assert "ch" in levels[2] and "am" in levels[2] and not levels[2] & levels[1]
    assert len(deletions("abcdefghijklmnop")[0].pop()) == suggestions.PREFIX


def test_candidates_within_the_distance(large):
    assert "cham" in large.candidates("chamm", 2)
    assert "thuong" in large.candidates("thuongg", 2)
    assert "nhiem" in large.candidates("nhiemm", 2)
    assert "nhiem" in large.candidates("nhem", 1)
    assert large.candidates("zzzzqqq", 2) == []


def test_work_is_bounded_on_a_large_vocabulary(tmp_path, large):
    small = SpellingDictionary(tmp_path / "small.sqlite3")
    small.add_words(vocabulary(300, seed=2) + ["cham", "chanh"])
    for word in ("chamm", "chxyzkq", "chabcdefghij", "chanhh", "qqqqqqq"):
        for dictionary in (small, large):
            work = Work()
            dictionary.candidates(word, 2, work)
            assert work.lookups <= MAX_KEYS
            assert work.candidates <= MAX_KEYS * suggestions.KEY_LIMIT
    # A first-letter scan of the large vocabulary would examine 20,000 words for this one.
    work = Work()
    large.candidates("chxyzkq", 2, work)
    assert work.candidates < 20_000 // 20
    small.close()


class FakeSearcher:
    def __init__(self, known):
        self.known = known

    def doc_frequency(self, fieldname, text):
        return self.known.get(text, 0)


class FakeLive:
    def __init__(self, dictionary, known):
        self.spelling = dictionary
        self.searcher = FakeSearcher(known)


def test_identifiers_are_never_corrected(large):
    live = FakeLive(large, {"cham": 3})
    work = Work()
    assert suggestions.suggest(live, ["8934567000099", "LOT2024-05x", "A12x", "chamm1"], lambda w: True,
                               work) is None
    assert work.lookups == 0
    assert suggestions.suggest(live, ["nam", "chamm"], lambda w: True, work) == "nam cham"


def test_at_most_three_unknown_words_are_looked_up(large):
    live = FakeLive(large, {"cham": 3})
    work = Work()
    suggestions.suggest(live, ["chamm"] * 12, lambda w: True, work)
    assert work.lookups <= suggestions.MAX_TRIES * MAX_KEYS


def test_words_no_longer_indexed_are_not_offered(large):
    assert suggestions.suggest(FakeLive(large, {}), ["chamm"], lambda w: True) is None


def test_the_follower_adds_the_words_of_new_documents(app, corpus):
    assert service.run_search(SearchRequest(q="karofy")).suggestion is None
    create(warning_data(slug="may-loc-nuoc", title="Máy lọc nước Karofi rò điện"))
    service.apply_pending()
    assert service.run_search(SearchRequest(q="karofy")).suggestion == "karofi"


def test_a_rebuilt_index_has_its_dictionary(app, corpus):
    service.rebuild()
    assert SpellingDictionary.of(service.state().store.current()).exists()
    assert service.run_search(SearchRequest(q="nam chamm")).suggestion == "nam cham"
