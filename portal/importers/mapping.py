"""Source categories, hazards and risks → the portal taxonomy, from reviewable YAML files.

Each source has a file under ``mappings/`` (its own labels to taxonomy codes); the text rules in
``mappings/text_rules.yaml`` are the fallback where a source gives no label of its own.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..content import taxonomy

FOLDER = Path(__file__).resolve().parent / "mappings"


@lru_cache(maxsize=None)
def table(name: str) -> dict[str, Any]:
    """The mapping file ``name`` (without .yaml), checked against the taxonomy."""
    data = yaml.safe_load((FOLDER / f"{name}.yaml").read_text(encoding="utf-8")) or {}
    for key, vocabulary in (("categories", "category"), ("hazards", "hazard")):
        section = data.get(key)
        if isinstance(section, dict):
            for label, code in section.items():
                if code not in taxonomy.codes(vocabulary) and not str(code).startswith("rules"):
                    raise ValueError(f"mappings/{name}.yaml: {key}: {label!r} → unknown code {code!r}")
    return data


def _pattern(words: list[str]) -> re.Pattern[str]:
    parts = []
    for word in words:
        stem = re.escape(str(word).rstrip("*")).replace(r"\ ", r"\s+")
        parts.append(stem + (r"[\w'-]*" if str(word).endswith("*") else ""))
    # A word may follow a hyphen ("E-bikes") but not run into one ("Ski-Doo" is not "ski").
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?![\w-])", re.IGNORECASE)


@lru_cache(maxsize=None)
def _rules() -> tuple[re.Pattern[str], list[tuple[str, re.Pattern[str]]], list[tuple[str, re.Pattern[str], bool]]]:
    data = table("text_rules")
    ignore = _pattern(data["ignore"])
    categories = [(rule["code"], _pattern(rule["words"])) for rule in data["categories"]]
    hazards = [(rule["code"], _pattern(rule["words"]), bool(rule.get("weak"))) for rule in data["hazards"]]
    for code, _ in categories:
        if code not in taxonomy.codes("category"):
            raise ValueError(f"mappings/text_rules.yaml: unknown category {code!r}")
    for code, _, _ in hazards:
        if code not in taxonomy.codes("hazard"):
            raise ValueError(f"mappings/text_rules.yaml: unknown hazard {code!r}")
    return ignore, categories, hazards


def category_from_text(*texts: str, exclude: tuple[str, ...] = ()) -> str | None:
    """The first text rule matching the first text that matches any rule (None: no rule)."""
    _, categories, _ = _rules()
    for text in texts:
        for code, pattern in categories:
            if code not in exclude and text and pattern.search(text):
                return code
    return None


def hazards_from_text(text: str) -> list[str]:
    """Every hazard whose rule matches ``text``, in taxonomy order.

    Generic phrases ("risk of serious injury or death") are set aside first so they do not
    drown the specific hazard; when nothing else matches, they count ("injury" → injuries).
    Weak rules ("can break", "can detach") count only when no other rule matched.
    """
    ignore, _, hazards = _rules()
    for candidate in (ignore.sub(" ", text or ""), text or ""):
        for weak in (False, True):
            found = {code for code, pattern, is_weak in hazards if is_weak == weak and pattern.search(candidate)}
            if found:
                return [code for code in taxonomy.codes("hazard") if code in found]
    return []


def lookup(name: str, section: str, label: str) -> str | None:
    """The code a source's own ``label`` maps to in ``mappings/<name>.yaml`` (None: not listed)."""
    return (table(name).get(section) or {}).get((label or "").strip().lower())
