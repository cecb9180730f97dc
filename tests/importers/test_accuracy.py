"""The importers against hand labels: at least 90% agreement on category and on hazards.

tests/data/labels_<source>.yaml holds labels decided by reading each record;
tests/data/recall_samples/ holds those records exactly as the source files give them.
Run with -s to see the confusion tables and the agreement figures.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from portal.importers.service import SOURCES

DATA = Path(__file__).resolve().parent.parent / "data"
SAMPLES = {"cpsc": "cpsc.json", "safety-gate": "safety_gate.json", "fda": "fda.xml", "us-recalls": "us_recalls.json"}


def labels(name: str) -> dict[str, dict]:
    data = yaml.safe_load((DATA / f"labels_{name.replace('-', '_')}.yaml").read_text(encoding="utf-8"))
    return {str(entry["ref"]): entry for entry in data["labels"]}


def predictions(kind: str) -> dict[str, dict]:
    source = SOURCES[kind]
    out = {}
    for raw in source.read(DATA / "recall_samples" / SAMPLES[kind]):
        record = source.convert(raw)
        key = record.aliases[0] if kind == "us-recalls" else record.reference
        out[key] = record.content
    return out


def confusion(pairs: list[tuple[str, str]]) -> str:
    """Rows: the hand label; columns: what the importer said (only labels that occur)."""
    codes = sorted({code for pair in pairs for code in pair})
    counts = Counter(pairs)
    width = max(len(c) for c in codes) + 1
    lines = ["label \\ importer".ljust(width) + " ".join(c[:6].rjust(6) for c in codes)]
    for truth in codes:
        if any(t == truth for t, _ in pairs):
            lines.append(truth.ljust(width) + " ".join(str(counts[(truth, got)] or ".").rjust(6) for got in codes))
    return "\n".join(lines)


@pytest.mark.parametrize("kind, label_file, minimum", [
    *[(kind, kind, 60) for kind in SAMPLES],
    ("cpsc", "cpsc_heldout", 25),  # labelled after the rules were written: a check against overfitting
])
def test_importer_agrees_with_hand_labels(kind, label_file, minimum):
    truth, got = labels(label_file), predictions(kind)
    assert len(truth) >= minimum and set(truth) <= set(got), "every labelled record is in the sample file"
    category_pairs = [(truth[ref]["category"], got[ref]["category"]) for ref in truth]
    hazard_hits = sum(set(truth[ref]["hazards"]) == set(got[ref]["hazards"]) for ref in truth)
    risk_hits = sum(truth[ref]["risk"] == got[ref]["risk_level"] for ref in truth)
    category_hits = sum(a == b for a, b in category_pairs)
    hazard_pairs = [(h, h if h in got[ref]["hazards"] else "(missed)") for ref in truth for h in truth[ref]["hazards"]]
    hazard_pairs += [("(not labelled)", h) for ref in truth for h in got[ref]["hazards"] if h not in truth[ref]["hazards"]]
    n = len(truth)
    print(f"\n== {kind} ({label_file}): {n} hand-labelled records")
    print(f"category agreement {category_hits}/{n} = {category_hits / n:.0%}; "
          f"hazards (exact set) {hazard_hits}/{n} = {hazard_hits / n:.0%}; risk level {risk_hits}/{n} = {risk_hits / n:.0%}")
    print("category confusion:\n" + confusion(category_pairs))
    print("hazard confusion (per labelled hazard; extra hazards the importer added in the last row):\n"
          + confusion(hazard_pairs))
    for ref in truth:
        if truth[ref]["category"] != got[ref]["category"] or set(truth[ref]["hazards"]) != set(got[ref]["hazards"]):
            print(f"  differs {ref}: label {truth[ref]['category']} {truth[ref]['hazards']}"
                  f" / importer {got[ref]['category']} {got[ref]['hazards']}")
    assert category_hits / n >= 0.9
    assert hazard_hits / n >= 0.9
