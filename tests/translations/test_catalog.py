"""The English catalog covers every interface string of the source, and keeps its placeholders.

The strings are extracted from the source as `make messages` does (babel.cfg, the same keywords)
into a temporary catalog, then compared with portal/translations/en/LC_MESSAGES/messages.po:
a string missing from the catalog, untranslated or marked fuzzy fails the test with its text
and where it is used. This runs in `make test`, so CI fails on an untranslated string.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "portal" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
KEYWORDS = ("lazy_gettext", "_l")  # as in the Makefile's `messages` target
PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?([sdifr%])")


def extract(into: Path) -> Catalog:
    """The interface strings of the source, extracted with the project's babel.cfg."""
    args = ["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "-o", str(into)]
    for keyword in KEYWORDS:
        args += ["-k", keyword]
    CommandLineInterface().run([*args, str(ROOT)])
    with into.open("rb") as source:
        return read_po(source)


def placeholders(text: str) -> list[str]:
    """``%(name)s`` and ``%s`` style placeholders of ``text``, sorted (``%%`` is not one)."""
    return sorted(f"{name}:{kind}" for name, kind in PLACEHOLDER.findall(text) if kind != "%")


def problems(source: Catalog, translated: Catalog) -> list[str]:
    """What is wrong with ``translated`` for the strings of ``source``, one line each."""
    out = []
    for message in source:
        if not message.id:
            continue
        where = ", ".join(f"{path}:{line}" for path, line in message.locations[:2])
        entry = translated.get(message.id)
        text = message.id if isinstance(message.id, str) else message.id[0]
        if entry is None:
            out.append(f"missing from messages.po: {text!r} ({where})")
        elif entry.fuzzy:
            out.append(f"fuzzy: {text!r} ({where})")
        elif not entry.string or (not isinstance(entry.string, str) and not all(entry.string)):
            out.append(f"untranslated: {text!r} ({where})")
    for entry in translated:
        if entry.id and entry.string:
            out.extend(_placeholder_problems(entry))
    return out


def _placeholder_problems(entry) -> list[str]:
    """A translation keeps the placeholders of its source; a plural's singular form may spell out
    the count ("One result") instead of using it."""
    plural = not isinstance(entry.id, str)
    expected = placeholders(entry.id[1] if plural else entry.id)
    forms = list(entry.string) if plural else [entry.string]
    out = []
    for number, form in enumerate(forms):
        got = placeholders(form)
        if got == expected or (plural and number == 0 and set(got) <= set(expected)):
            continue
        out.append(f"placeholders differ: {entry.id!r} has {expected}, its translation {form!r} has {got}")
    return out


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Catalog:
    return extract(tmp_path_factory.mktemp("messages") / "messages.pot")


def test_every_interface_string_is_translated_into_english(extracted):
    with CATALOG.open("rb") as source:
        english = read_po(source, locale="en")
    assert len(extracted) > 100  # the extraction found the source
    found = problems(extracted, english)
    assert not found, f"{len(found)} problems in {CATALOG.relative_to(ROOT)}:\n" + "\n".join(found)


def test_the_check_reports_missing_untranslated_fuzzy_and_broken_strings():
    source, english = Catalog(), Catalog(locale="en")
    for text in ("Thiếu", "Chưa dịch", "Mờ", "Có %(n)s mục", "Đủ %(n)s"):
        source.add(text)
    english.add("Chưa dịch", "")
    english.add("Mờ", "Fuzzy", flags=["fuzzy"])
    english.add("Có %(n)s mục", "%(count)s items")
    english.add("Đủ %(n)s", "Enough %(n)s")
    found = "\n".join(problems(source, english))
    assert "missing from messages.po: 'Thiếu'" in found
    assert "untranslated: 'Chưa dịch'" in found
    assert "fuzzy: 'Mờ'" in found
    assert "placeholders differ: 'Có %(n)s mục'" in found
    assert "Đủ" not in found


def test_plural_forms_keep_the_count():
    english = Catalog(locale="en")
    english.add(("%(num)s kết quả", "%(num)s kết quả"), ("One result", "%(num)s results"))
    english.add(("%(num)s mục", "%(num)s mục"), ("%(num)s item", "items"))
    found = "\n".join(problems(Catalog(), english))
    assert "One result" not in found
    assert "'items'" in found
