"""Jinja filters and globals for public pages: dates, money, taxonomy labels, URLs.

Times are shown in Vietnam's time zone (Asia/Ho_Chi_Minh), Vietnamese style (28/11/2026)
on Vietnamese pages and English style (28 November 2026) on English pages. Money is written
the Vietnamese way in both languages: ``1.500.000 ₫``.
"""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date as babel_format_date
from flask import Flask

from .content import taxonomy
from .i18n import lurl, request_lang

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

_DATE_PATTERNS = {"vi": "dd/MM/yyyy", "en": "d MMMM yyyy"}
_MONTH_LOCALE = {"vi": "vi", "en": "en_GB"}


def local_time(value: datetime) -> datetime:
    """A timezone-aware time converted to Vietnam's time zone."""
    return value.astimezone(VIETNAM)


def format_date(value: date | datetime | None, lang: str | None = None) -> str:
    """``28/11/2026`` (vi) or ``28 November 2026`` (en); times are taken in Vietnam."""
    if value is None:
        return ""
    lang = lang or request_lang()
    if isinstance(value, datetime):
        value = local_time(value).date()
    return babel_format_date(value, _DATE_PATTERNS[lang], locale=_MONTH_LOCALE[lang])


def format_datetime(value: datetime | None, lang: str | None = None) -> str:
    """``08:30, 28/11/2026`` (vi) or ``28 November 2026, 08:30`` (en), Vietnam time."""
    if value is None:
        return ""
    lang = lang or request_lang()
    local = local_time(value)
    clock = local.strftime("%H:%M")
    day = format_date(local, lang)
    return f"{clock}, {day}" if lang == "vi" else f"{day}, {clock}"


def iso_datetime(value: datetime | None) -> str:
    """Machine-readable time for ``<time datetime>`` and JSON-LD, with Vietnam's offset."""
    return local_time(value).isoformat(timespec="seconds") if value else ""


def format_money(value: int | None) -> str:
    """``1500000`` → ``1.500.000 ₫``."""
    if value is None:
        return ""
    return f"{int(value):,}".replace(",", ".") + " ₫"


def term_label(code: str | None, vocabulary: str, lang: str | None = None) -> str:
    """The label of a taxonomy code in the page's language (the code itself when unknown)."""
    if not code:
        return ""
    return taxonomy.label(vocabulary, code, lang or request_lang())


def language_name(code: str | None, lang: str | None = None) -> str:
    """``en`` → ``tiếng Anh`` (vi) or ``English`` (en); the code itself when unknown."""
    if not code:
        return ""
    lang = lang or request_lang()
    try:
        name = Locale.parse(lang).languages.get(code.split("-")[0].lower())
    except (ValueError, TypeError):
        name = None
    return name or code


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        date=format_date,
        datetime=format_datetime,
        isotime=iso_datetime,
        money=format_money,
        term=term_label,
        language=language_name,
    )
    app.jinja_env.globals.update(lurl=lurl, request_lang=request_lang, taxonomy=taxonomy)
