"""Vietnamese at /, English under /en/: hreflang alternates and the language switch."""
from __future__ import annotations

import re

from tests.factories import article_data, create, warning_data


def text(response) -> str:
    return response.get_data(as_text=True)


def alternates(page: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([a-z-]+)" href="([^"]+)">', page))


def switch_target(page: str) -> str:
    return re.search(r'<a class="lang-switch" href="([^"]+)"', page).group(1)


def test_item_with_translation_switches_to_the_translation(client):
    vi = create(article_data(slug="quyen-duoc-an-toan", title="Quyền được an toàn"))
    en = create(article_data(slug="right-to-safety", lang="en", title="The right to safety", translation_of=vi.slug))

    page = text(client.get(f"/huong-dan/{vi.slug}"))
    assert '<html lang="vi">' in page
    assert alternates(page) == {"vi": "http://localhost/huong-dan/quyen-duoc-an-toan",
                                "en": "http://localhost/en/guides/right-to-safety",
                                "x-default": "http://localhost/huong-dan/quyen-duoc-an-toan"}
    assert switch_target(page) == "http://localhost/en/guides/right-to-safety"

    english = text(client.get(f"/en/guides/{en.slug}"))
    assert '<html lang="en">' in english
    assert switch_target(english) == "http://localhost/huong-dan/quyen-duoc-an-toan"
    assert alternates(english)["en"] == "http://localhost/en/guides/right-to-safety"


def test_item_without_translation_switches_to_the_same_item(client):
    warning = create(warning_data(slug="binh-giu-nhiet-chi"))
    page = text(client.get("/canh-bao/binh-giu-nhiet-chi"))
    assert switch_target(page) == "http://localhost/en/warnings/binh-giu-nhiet-chi"
    english = text(client.get(f"/en/warnings/{warning.slug}"))
    assert switch_target(english) == "http://localhost/canh-bao/binh-giu-nhiet-chi"
    assert alternates(english) == {"vi": "http://localhost/canh-bao/binh-giu-nhiet-chi",
                                   "en": "http://localhost/en/warnings/binh-giu-nhiet-chi",
                                   "x-default": "http://localhost/canh-bao/binh-giu-nhiet-chi"}


def test_unpublished_translation_is_not_a_switch_target(client):
    vi = create(article_data(slug="bai-goc", title="Bài gốc"))
    create(article_data(slug="draft-translation", lang="en", title="Draft", translation_of=vi.slug,
                        workflow="draft", published_at=None))
    assert switch_target(text(client.get("/huong-dan/bai-goc"))) == "http://localhost/en/guides/bai-goc"


def test_list_pages_keep_filters_across_languages(client):
    page = text(client.get("/canh-bao?category=toys&risk_level=serious"))
    assert switch_target(page) == "http://localhost/en/warnings?category=toys&amp;risk_level=serious"
    assert alternates(text(client.get("/en/enforcement")))["vi"] == "http://localhost/xu-ly-vi-pham"
    home = text(client.get("/"))
    assert alternates(home) == {"vi": "http://localhost/", "en": "http://localhost/en/",
                                "x-default": "http://localhost/"}
    assert alternates(text(client.get("/en/about")))["vi"] == "http://localhost/gioi-thieu"
