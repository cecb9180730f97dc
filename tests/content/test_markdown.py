"""Markdown is rendered, then sanitised: nothing executable survives."""
from __future__ import annotations

import pytest

from portal.content.markdown import plain_text, render_markdown

HOSTILE = [
    "<script>alert(1)</script>",
    "[bấm vào](javascript:alert(1))",
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<img src="x.png" onerror="alert(1)">',
    '<div onclick="alert(1)">x</div>',
    '<iframe src="https://example.org"></iframe>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
    "<style>body{display:none}</style>",
    '<svg onload="alert(1)"></svg>',
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_markup_does_not_survive(text):
    html = str(render_markdown(text)).lower()
    for needle in ("<script", "javascript:", "onerror", "onclick", "onload", "<iframe", "data:text", "<style", "<svg"):
        assert needle not in html


def test_ordinary_markdown_is_kept():
    html = str(render_markdown("## Quyền được an toàn\n\n**Gọi** [1800 6838](tel:18006838)\n\n- một\n- hai"))
    assert "<h2>Quyền được an toàn</h2>" in html and "<strong>Gọi</strong>" in html
    assert 'href="tel:18006838"' in html and "<li>một</li>" in html


def test_links_get_noopener():
    assert 'rel="noopener noreferrer"' in str(render_markdown("[x](https://example.org)"))


def test_plain_text_strips_markup_and_keeps_text():
    assert plain_text("## Tiêu đề\n\nA & B <b>đậm</b>") == "Tiêu đề A & B đậm"



def test_a_reused_converter_carries_nothing_from_one_document_to_the_next():
    """One Markdown converter per thread serves every document (building one per call cost more
    than converting): a link reference defined in one document must not reach the next, and
    every conversion equals a fresh converter's, in one thread or several at once."""
    import threading

    import markdown as md

    from portal.content import markdown as rendering

    documents = ["[trang][ref]\n\n[ref]: /canh-bao", "[trang][ref]", '"Ngoặc kép" -- và...', "1. một\n2. hai",
                 "| a | b |\n|---|---|\n| 1 | 2 |", "* x\n\n    mã", "[trang][ref]"]
    fresh = [md.markdown(text, extensions=list(rendering.RENDER_EXTENSIONS), output_format="html")
             for text in documents]
    assert [rendering._convert(text, rendering.RENDER_EXTENSIONS) for text in documents] == fresh
    assert 'href="/canh-bao"' in fresh[0] and "<a" not in fresh[1] and "<a" not in fresh[-1]
    assert "<a" not in str(render_markdown("[trang][ref]"))

    failures = []

    def convert_many() -> None:
        for _ in range(50):
            if [rendering._convert(text, rendering.RENDER_EXTENSIONS) for text in documents] != fresh:
                failures.append(threading.current_thread().name)

    threads = [threading.Thread(target=convert_many) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
