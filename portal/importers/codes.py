"""Product identifiers in source records: GTIN barcodes, other product codes, batches.

A number is stored as a barcode only when its GTIN check digit is right; anything else that
identifies the product (a code failing the check, an Amazon ASIN, a model or item number) is
kept as a product code, so it is still searchable but never presented as a barcode.
"""
from __future__ import annotations

import re

GTIN_LENGTHS = (8, 12, 13, 14)
ASIN_RE = re.compile(r"\bB0[A-Z0-9]{8}\b")


def gtin_valid(code: str) -> bool:
    """True when ``code`` is a GTIN-8/12/13/14 whose check digit is right."""
    if not code.isdigit() or len(code) not in GTIN_LENGTHS:
        return False
    digits = [int(c) for c in code]
    body, check = digits[:-1], digits[-1]
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def split_codes(values: list[str]) -> tuple[list[str], list[str]]:
    """(barcodes, product codes) from raw identifier strings, in order, without repeats."""
    barcodes: list[str] = []
    others: list[str] = []
    for raw in values:
        for token in re.split(r"[\s,;/]+", raw or ""):
            token = token.strip().strip(".")
            if not token or token.lower() in ("none", "n/a", "-"):
                continue
            compact = token.replace("-", "") if token.replace("-", "").isdigit() else token
            target = barcodes if gtin_valid(compact) else others
            value = compact if target is barcodes else token
            if value not in target:
                target.append(value[:300])
    return barcodes, others


def asins(text: str) -> list[str]:
    """Amazon product codes (ASIN, "B0" + 8 characters) mentioned in ``text``."""
    return list(dict.fromkeys(ASIN_RE.findall(text or "")))


def batch_lines(text: str) -> list[str]:
    """Batch/lot entries, one per line: an "article; batch" pair stays one entry."""
    lines = [re.sub(r"\s*;\s*", "; ", line.strip()) for line in (text or "").splitlines()]
    return list(dict.fromkeys(line[:300] for line in lines if line and line.lower() != "none"))


def words_in(text: str, tokens: list[str]) -> list[str]:
    """The tokens that occur in ``text`` as whole words, in the text's own spelling."""
    found: list[str] = []
    for token in tokens:
        match = re.search(rf"(?<![\w-]){re.escape(token)}(?![\w-])", text or "", re.IGNORECASE)
        if match and match.group(0) not in found:
            found.append(match.group(0))
    return found
