"""Languages: Vietnamese at /, English under /en/; localized URL paths for public pages."""
from __future__ import annotations

from flask import request, url_for

LANGS = ("vi", "en")


def request_lang() -> str:
    """The language of the current request, from its path."""
    path = request.path if request else "/"
    if path == "/en" or path.startswith("/en/"):
        return "en"
    return "vi"


def select_locale() -> str:
    return request_lang()


def lang_endpoint(endpoint: str, lang: str) -> str:
    """Public endpoints exist twice: `public.warning` (vi) and `public.warning_en` (en)."""
    base = endpoint.removesuffix("_en")
    return base + "_en" if lang == "en" else base


def lurl(endpoint: str, lang: str | None = None, **values) -> str:
    """url_for a public endpoint in ``lang`` (default: the current request's language)."""
    return url_for(lang_endpoint(endpoint, lang or request_lang()), **values)


def localized_route(bp, rules: dict[str, str], endpoint: str, **options):
    """Register a view for both languages: ``rules = {"vi": "/canh-bao", "en": "/en/warnings"}``."""

    def decorator(view):
        bp.add_url_rule(rules["vi"], endpoint, view, **options)
        bp.add_url_rule(rules["en"], endpoint + "_en", view, **options)
        return view

    return decorator
