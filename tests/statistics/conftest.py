"""Fixture content for the statistics tests: items with known dates, codes and windows."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from portal.content.models import DRAFT
from portal.extensions import db
from tests.factories import create, sanction_data, warning_data

VN = timezone(timedelta(hours=7))


def at(text: str) -> str:
    """An ISO time in UTC ("2024-12-31T17:30"), as the content files write times (with an offset)."""
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc).isoformat()


def ago(days: float) -> str:
    return (datetime.now(timezone.utc) - timedelta(days=days)).astimezone(VN).isoformat()


@pytest.fixture
def known(app):
    """Warnings of 2025 (Vietnam time) and enforcement results decided in 2025, with known counts.

    Warnings of 2025, by month (Vietnam time): January 2 (one published at 00:30 on 1 January in
    Vietnam, still 31 December 2024 in UTC; one at 23:59 on 31 January), February 1 (00:00 on
    1 February in Vietnam), March 2 (one of them withdrawn), December 1 (with an English
    translation, counted once). Not counted: a draft, a warning scheduled for the future, and one
    published at 23:59 on 31 December 2024 in Vietnam.
    """
    create(warning_data(published_at=at("2024-12-31T17:30:00"), category="toys",
                                           risk_level="serious"))
    create(warning_data(published_at=at("2024-12-31T16:59:00"), category="toys"))  # 2024 in Vietnam
    create(warning_data(published_at=at("2025-01-31T16:59:00"), category="food", risk_level="high",
                        source={"authority": "Cục An toàn thực phẩm", "reference": "ATTP-1"}))
    create(warning_data(published_at=at("2025-01-31T17:00:00"), category="food", risk_level="medium",
                        source={"authority": "US CPSC", "reference": "26-001"}))
    create(warning_data(published_at=at("2025-03-10T03:00:00"), category="cosmetics", risk_level="low"))
    create(warning_data(published_at=at("2025-03-20T03:00:00"), category="toys", risk_level="serious",
                        status="withdrawn", withdrawn_reason="Kiểm nghiệm lại đạt."))
    original = create(warning_data(slug="goc-thang-12", published_at=at("2025-12-05T03:00:00"),
                                   category="electrical", risk_level="high"))
    create(warning_data(slug="december-en", lang="en", translation_of=original.slug,
                        published_at=at("2025-12-06T03:00:00"), category="electrical", risk_level="high"))
    draft = create(warning_data(published_at=at("2025-06-01T03:00:00"), category="machinery"))
    draft.status = DRAFT  # as a draft saved before its first publication
    db.session.commit()
    create(warning_data(published_at=(datetime.now(timezone.utc) + timedelta(days=3)).isoformat(),
                        category="sports"))  # scheduled: published_at still ahead

    # Enforcement results decided in 2025, public now unless said otherwise.
    window = dict(published_at=ago(2), published_until=(datetime.now(timezone.utc) + timedelta(days=20)).isoformat())
    create(sanction_data(decision={"number": "1/QĐ", "date": "2025-01-31", "authority": "Sở Công Thương"},
                         fine_vnd=10_000_000, violation_kind="counterfeit", demo=False, **window))
    create(sanction_data(decision={"number": "2/QĐ", "date": "2025-02-01", "authority": "Sở Công Thương"},
                         fine_vnd=25_000_000, violation_kind="counterfeit", demo=True, **window))
    create(sanction_data(decision={"number": "3/QĐ", "date": "2025-02-14", "authority": "Sở Công Thương"},
                         fine_vnd=7_500_000, violation_kind="misleading-information", demo=False, **window))
    # Its window is over: no longer public, not counted.
    create(sanction_data(decision={"number": "4/QĐ", "date": "2025-02-20", "authority": "Sở Công Thương"},
                         fine_vnd=99_000_000, violation_kind="warranty", published_at=ago(40), published_until=ago(10)))
    # Its window has not opened yet: not counted.
    create(sanction_data(decision={"number": "5/QĐ", "date": "2025-03-01", "authority": "Sở Công Thương"},
                         fine_vnd=88_000_000, violation_kind="warranty", published_at=ago(2),
                         published_from=(datetime.now(timezone.utc) + timedelta(days=2)).isoformat(),
                         published_until=(datetime.now(timezone.utc) + timedelta(days=30)).isoformat()))
