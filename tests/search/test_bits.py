"""Document sets as bitmaps (portal/search/bits.py), and the set algebra searches build on them,
checked against plain Python sets on random sets."""
from __future__ import annotations

import random

import pytest

from portal.search import bits, matching, ranking

rng = random.Random(8)


def random_ids(top: int = 5000) -> set[int]:
    return set(rng.sample(range(top), min(top, rng.choice([0, 1, 3, 40, 700, 3000]))))


@pytest.mark.parametrize("ids", [set(), {0}, {7}, {8}, {0, 63, 64, 65}, {99_999}, set(range(0, 20_000, 3))]
                         + [random_ids() for _ in range(30)])
def test_a_bitmap_holds_exactly_its_documents(ids):
    made = bits.from_ids(ids)
    assert made == bits.from_ids(iter(ids)) == bits.from_ids(sorted(ids, reverse=True))
    assert bits.members(made) == sorted(ids)
    assert bits.count(made) == len(ids)
    for how_many in (0, 1, 2, 50, len(ids), len(ids) + 5):
        assert bits.largest(made, how_many) == sorted(ids, reverse=True)[:how_many]
    assert bits.size_in_bytes(made) == 28 + (max(ids) // 8 + 1 if ids else 0)


def test_set_operations_agree_with_python_sets():
    for _ in range(100):
        a, b = random_ids(), random_ids()
        x, y = bits.from_ids(a), bits.from_ids(b)
        assert bits.members(x & y) == sorted(a & b)
        assert bits.members(x | y) == sorted(a | b)
        assert bits.members(x & ~y) == sorted(a - b)


def test_at_least_agrees_with_counting_each_document():
    for _ in range(150):
        sets = [random_ids(800) for _ in range(rng.randint(1, 7))]
        needed = rng.randint(1, len(sets))
        expected = sorted(d for d in set().union(*sets) if sum(d in s for s in sets) >= needed)
        assert bits.members(matching.at_least([bits.from_ids(s) for s in sets], needed)) == expected, (sets, needed)


def test_ranking_agrees_with_scoring_each_document():
    """The best ``pool`` documents: highest summed weight, ties and unscored documents by the
    highest document number, documents holding no feature after every scored one."""
    for _ in range(150):
        final = random_ids(3000)
        features = [(random_ids(3000), rng.choice([0.5, 1.25, 3.0, 7.7])) for _ in range(rng.randint(0, 6))]
        pool = rng.randint(1, 60)
        scores = {d: sum(w for docs, w in features if d in docs) for d in final}
        held = {d for d in final if any(d in docs for docs, _ in features)}
        expected = sorted(held, key=lambda d: (scores[d], d), reverse=True)[:pool]
        expected += sorted(final - held, reverse=True)[:pool - len(expected)]
        as_bits = [(bits.from_ids(docs), w) for docs, w in features]
        got = ranking._best(bits.from_ids(final), as_bits, pool)
        assert [d for d, _ in got] == expected
        assert [score for _, score in got] == pytest.approx([scores[d] if d in held else 0.0 for d in expected])


def test_union_and_intersection_agree_with_python_sets():
    for _ in range(100):
        groups = [random_ids() for _ in range(rng.randint(1, 5))]
        as_bits = [bits.from_ids(group) for group in groups]
        assert bits.members(bits.union(as_bits)) == sorted(set().union(*groups))
        assert bits.members(bits.intersection(as_bits)) == sorted(set.intersection(*groups))
    assert bits.union([]) == bits.EMPTY
