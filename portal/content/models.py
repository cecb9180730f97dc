"""The content model: guides, warnings, enforcement results, and their bookkeeping.

Publishing follows GOV.UK/Wagtail: the row holds the live version (or, before the first
publication, the working draft); every save is an immutable `Revision` holding the item as a
content-file dict; `latest_revision_id` points at the newest one, and
`has_unpublished_changes` says whether it differs from what the public sees.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from ..extensions import db


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """Timezone-aware datetimes stored as naive UTC (SQLite keeps no offset)."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; content times must carry an offset")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc)


# Workflow states. "Scheduled" is a published item whose published_at is still ahead.
DRAFT, REVIEW, PUBLISHED, WITHDRAWN, ARCHIVED = "draft", "review", "published", "withdrawn", "archived"
STATUSES = (DRAFT, REVIEW, PUBLISHED, WITHDRAWN, ARCHIVED)


class ContentMixin:
    """Columns every publishable item has."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(200), unique=True, index=True)
    lang: Mapped[str] = mapped_column(sa.String(2), default="vi")
    title: Mapped[str] = mapped_column(sa.String(300))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    body: Mapped[str] = mapped_column(sa.Text, default="")
    tags: Mapped[list] = mapped_column(sa.JSON, default=list)
    images: Mapped[list] = mapped_column(sa.JSON, default=list)  # [{src, alt, ...}]
    status: Mapped[str] = mapped_column(sa.String(20), default=DRAFT, index=True)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # When the public content last changed: the publication time, moved on by an update published
    # with a change note (or a withdrawal). Feeds and the API call it "updated"; never a load or a save.
    content_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Bumped on every save; a form carries it so a stale save can be refused.
    version: Mapped[int] = mapped_column(default=1)
    latest_revision_id: Mapped[int | None] = mapped_column(sa.ForeignKey("revision.id", use_alter=True))
    has_unpublished_changes: Mapped[bool] = mapped_column(default=False)
    owner_org: Mapped[str | None] = mapped_column(sa.String(40))

    item_type: str = ""

    @property
    def publication_time(self) -> datetime | None:
        """When the item went (or goes) public; an enforcement result waits for its window."""
        moments = [self.published_at, getattr(self, "published_from", None)]
        return max((moment for moment in moments if moment is not None), default=None)

    @property
    def is_scheduled(self) -> bool:
        return self.status == PUBLISHED and self.published_at is not None and self.published_at > utcnow()

    def label(self) -> str:
        return self.title


def _translation_index(table: str) -> sa.Index:
    """Translations by original and language, for the one-version-per-item rule.

    Partial (only rows that are translations), so the planner sees it as the selective index it
    is, rather than one where most rows share the key NULL.
    """
    column = sa.column("translation_of_id")
    return sa.Index(f"ix_{table}_translation_of_id_lang", "translation_of_id", "lang",
                    sqlite_where=column.is_not(None), postgresql_where=column.is_not(None))


class Article(ContentMixin, db.Model):
    """A consumer-rights guide or a campaign news item."""

    __tablename__ = "article"
    item_type = "article"

    kind: Mapped[str] = mapped_column(sa.String(20), default="guide")  # guide | news
    translation_of_id: Mapped[int | None] = mapped_column(sa.ForeignKey("article.id"))
    __table_args__ = (
        _translation_index("article"),
        sa.Index("ix_article_published_at_id", "published_at", "id"),
        sa.Index("ix_article_content_updated_at_id", "content_updated_at", "id"),
        sa.Index("ix_article_kind_published_at_id", "kind", "published_at", "id"),
        # The same filter in feed order, newest change first (migration 0008).
        sa.Index("ix_article_kind_changed", "kind", "content_updated_at", "id"),
    )
    translation_of: Mapped[Article | None] = relationship(remote_side="Article.id", foreign_keys=[translation_of_id])

    @classmethod
    def public_filter(cls, now: datetime) -> sa.ColumnElement[bool]:
        return sa.and_(cls.status == PUBLISHED, cls.published_at <= now)


class Warning(ContentMixin, db.Model):
    """A product warning or recall, domestic or relayed from a foreign authority."""

    __tablename__ = "warning"
    item_type = "warning"

    translation_of_id: Mapped[int | None] = mapped_column(sa.ForeignKey("warning.id"))
    __table_args__ = (
        _translation_index("warning"),
        sa.Index("ix_warning_published_at_id", "published_at", "id"),
        sa.Index("ix_warning_content_updated_at_id", "content_updated_at", "id"),
        # One per list filter, each in list order, so a filtered page stops at the page.
        sa.Index("ix_warning_category_published_at_id", "category", "published_at", "id"),
        sa.Index("ix_warning_risk_level_published_at_id", "risk_level", "published_at", "id"),
        sa.Index("ix_warning_source_kind_published_at_id", "source_kind", "published_at", "id"),
        sa.Index("ix_warning_status_published_at_id", "status", "published_at", "id"),
        # The same filters in feed order, newest change first (migration 0008).
        sa.Index("ix_warning_category_changed", "category", "content_updated_at", "id"),
        sa.Index("ix_warning_risk_level_changed", "risk_level", "content_updated_at", "id"),
        sa.Index("ix_warning_source_kind_changed", "source_kind", "content_updated_at", "id"),
        sa.Index("ix_warning_status_changed", "status", "content_updated_at", "id"),
    )
    translation_of: Mapped[Warning | None] = relationship(remote_side="Warning.id", foreign_keys=[translation_of_id])

    product_name: Mapped[str] = mapped_column(sa.String(300))
    brand: Mapped[str] = mapped_column(sa.String(200), default="")
    model: Mapped[str] = mapped_column(sa.String(300), default="")
    barcodes: Mapped[list] = mapped_column(sa.JSON, default=list)
    batches: Mapped[list] = mapped_column(sa.JSON, default=list)
    production_dates: Mapped[str] = mapped_column(sa.Text, default="")
    # Category and risk level are unset (NULL) on a draft until an editor chooses them (migration 0011).
    category: Mapped[str | None] = mapped_column(sa.String(40), index=True)
    hazards: Mapped[list] = mapped_column(sa.JSON, default=list)
    risk_level: Mapped[str | None] = mapped_column(sa.String(20), index=True)
    what_to_do: Mapped[str] = mapped_column(sa.Text, default="")
    measures: Mapped[list] = mapped_column(sa.JSON, default=list)  # [{type, kind, by}]
    manufacturer: Mapped[str] = mapped_column(sa.String(300), default="")
    importer: Mapped[str] = mapped_column(sa.String(300), default="")
    seller: Mapped[str] = mapped_column(sa.String(300), default="")
    origin_country: Mapped[str] = mapped_column(sa.String(100), default="")
    units: Mapped[str] = mapped_column(sa.String(200), default="")
    source_authority: Mapped[str] = mapped_column(sa.String(200), default="", index=True)
    # The source filter's code (queries.SOURCES) of source_authority, kept by a database trigger
    # (migration 0007) on every insert and change of source_authority, whatever writes the row.
    source_kind: Mapped[str | None] = mapped_column(sa.String(20))
    source_reference: Mapped[str] = mapped_column(sa.String(100), default="", index=True)
    source_url: Mapped[str] = mapped_column(sa.String(500), default="")
    source_language: Mapped[str] = mapped_column(sa.String(10), default="")
    # The date the source authority gives its notice (not our publication time).
    source_date: Mapped[date | None] = mapped_column(sa.Date)
    # Identifiers that are not valid GTINs: ASINs, item and model numbers, codes failing the check digit.
    product_codes: Mapped[list] = mapped_column(sa.JSON, default=list)
    withdrawn_reason: Mapped[str] = mapped_column(sa.Text, default="")
    change_note: Mapped[str] = mapped_column(sa.Text, default="")  # public note on the latest update

    @classmethod
    def public_filter(cls, now: datetime) -> sa.ColumnElement[bool]:
        # A withdrawn warning stays readable, with its banner.
        return sa.and_(cls.status.in_((PUBLISHED, WITHDRAWN)), cls.published_at <= now)


class Sanction(ContentMixin, db.Model):
    """An enforcement result: who was sanctioned, for what, by which decision."""

    __tablename__ = "sanction"
    item_type = "sanction"

    translation_of_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sanction.id"))
    __table_args__ = (
        _translation_index("sanction"),
        sa.Index("ix_sanction_decision_order", "decision_date", "published_from", "id"),
        sa.Index("ix_sanction_content_updated_at_id", "content_updated_at", "id"),
        sa.Index("ix_sanction_kind_order", "violation_kind", "decision_date", "published_from", "id"),
        sa.Index("ix_sanction_authority_order", "decision_authority", "decision_date", "published_from", "id"),
        sa.Index("ix_sanction_online_order", "online", "decision_date", "published_from", "id"),
        # The same filters in feed order, newest change first (migration 0008).
        sa.Index("ix_sanction_kind_changed", "violation_kind", "content_updated_at", "id"),
        sa.Index("ix_sanction_authority_changed", "decision_authority", "content_updated_at", "id"),
        sa.Index("ix_sanction_online_changed", "online", "content_updated_at", "id"),
    )
    translation_of: Mapped[Sanction | None] = relationship(remote_side="Sanction.id", foreign_keys=[translation_of_id])

    subject_name: Mapped[str] = mapped_column(sa.String(300))
    subject_kind: Mapped[str] = mapped_column(sa.String(30))
    tax_code: Mapped[str] = mapped_column(sa.String(20), default="", index=True)
    address: Mapped[str] = mapped_column(sa.String(400), default="")
    ward: Mapped[str] = mapped_column(sa.String(100), default="")
    violation: Mapped[str] = mapped_column(sa.Text)
    violation_kind: Mapped[str] = mapped_column(sa.String(40), default="other", index=True)
    legal_basis: Mapped[str] = mapped_column(sa.Text, default="")
    decision_number: Mapped[str] = mapped_column(sa.String(100), index=True)
    # Unset (NULL) on a draft saved before the decision is typed in (migration 0011).
    decision_date: Mapped[date | None] = mapped_column(sa.Date)
    decision_authority: Mapped[str] = mapped_column(sa.String(300))
    fine_vnd: Mapped[int | None] = mapped_column(sa.BigInteger)
    additional_penalties: Mapped[str] = mapped_column(sa.Text, default="")
    remedial_measures: Mapped[str] = mapped_column(sa.Text, default="")
    online: Mapped[bool] = mapped_column(default=False, index=True)
    compliance: Mapped[str] = mapped_column(sa.String(20), default="pending")
    published_from: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    published_until: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    demo: Mapped[bool] = mapped_column(default=False)

    @classmethod
    def public_filter(cls, now: datetime, include_demo: bool = True) -> sa.ColumnElement[bool]:
        clauses = [
            cls.status == PUBLISHED,
            cls.published_at <= now,
            cls.published_from <= now,
            cls.published_until > now,
        ]
        if not include_demo:
            clauses.append(cls.demo.is_(False))
        return sa.and_(*clauses)

    def in_window(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        return bool(self.published_from and self.published_until and self.published_from <= now < self.published_until)


class WarningHazard(db.Model):
    """One hazard code of a warning, with the warning's publication and change times: the hazard
    filter's indexes in list order and in feed order.

    Derived from ``warning.hazards`` (the JSON list stays the record) by database triggers
    (migration 0007) on every insert and on every change of hazards or published_at, whatever
    writes the row: the content loader, the workflow, the importers, a bulk insert or a restore.
    Never written by the application; backups leave it out and the triggers rebuild it.
    """

    __tablename__ = "warning_hazard"

    warning_id: Mapped[int] = mapped_column(sa.ForeignKey("warning.id", ondelete="CASCADE"), primary_key=True)
    code: Mapped[str] = mapped_column(sa.Text, primary_key=True)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the warning's content_updated_at

    __table_args__ = (sa.Index("ix_warning_hazard_code_order", "code", "published_at", "warning_id"),
                      sa.Index("ix_warning_hazard_code_changed", "code", "changed_at", "warning_id"))


class ArticleTag(db.Model):
    """One tag of a guide or news item, with its publication time: the tag filter's index.

    Derived from ``article.tags`` by database triggers, like `WarningHazard`.
    """

    __tablename__ = "article_tag"

    article_id: Mapped[int] = mapped_column(sa.ForeignKey("article.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(sa.Text, primary_key=True)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the article's content_updated_at

    __table_args__ = (sa.Index("ix_article_tag_tag_order", "tag", "published_at", "article_id"),
                      sa.Index("ix_article_tag_tag_changed", "tag", "changed_at", "article_id"))


class WarningCode(db.Model):
    """One barcode, batch number or product code of a warning, normalised: the recall check's index.

    Derived from ``warning.barcodes``, ``batches`` and ``product_codes`` by database triggers
    (migration 0009), like `WarningHazard`; normalised as ``recall_check.normalise`` does.
    """

    __tablename__ = "warning_code"

    warning_id: Mapped[int] = mapped_column(sa.ForeignKey("warning.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(10), primary_key=True)  # barcode | batch | code
    code: Mapped[str] = mapped_column(sa.Text, primary_key=True)

    __table_args__ = (sa.Index("ix_warning_code_code", "code", "warning_id"),)


class WarningTag(db.Model):
    """One tag of a warning, with its publication time: the warning tag filter's index.

    Derived from ``warning.tags`` by database triggers (migration 0010), like `ArticleTag`.
    """

    __tablename__ = "warning_tag"

    warning_id: Mapped[int] = mapped_column(sa.ForeignKey("warning.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(sa.Text, primary_key=True)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the warning's content_updated_at

    __table_args__ = (sa.Index("ix_warning_tag_tag_order", "tag", "published_at", "warning_id"),
                      sa.Index("ix_warning_tag_tag_changed", "tag", "changed_at", "warning_id"))


# Tables the database derives from content columns (triggers): not backed up, never written here.
DERIVED_TABLES = ("warning_hazard", "article_tag", "warning_code", "warning_tag")


CONTENT_MODELS: dict[str, type[ContentMixin]] = {"article": Article, "warning": Warning, "sanction": Sanction}


class Revision(db.Model):
    """An immutable snapshot of one item, as a content-file dict, written on every save."""

    __tablename__ = "revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_type: Mapped[str] = mapped_column(sa.String(20))
    item_id: Mapped[int] = mapped_column(index=True)
    version: Mapped[int] = mapped_column()
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    action: Mapped[str] = mapped_column(sa.String(30))  # load, create, save, submit, publish, restore...
    note: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    __table_args__ = (sa.Index("ix_revision_item", "item_type", "item_id", "version"),)


class AuditEntry(db.Model):
    """Who did what, to which item, when and from where."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    actor_label: Mapped[str] = mapped_column(sa.String(200), default="")  # e-mail, or "cli"
    action: Mapped[str] = mapped_column(sa.String(50), index=True)
    item_type: Mapped[str | None] = mapped_column(sa.String(20))
    item_id: Mapped[int | None] = mapped_column()
    detail: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    remote_addr: Mapped[str] = mapped_column(sa.String(64), default="")


class SearchOutbox(db.Model):
    """A content change for the search index to apply, written in the change's transaction."""

    __tablename__ = "search_outbox"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    item_type: Mapped[str] = mapped_column(sa.String(20))
    item_id: Mapped[int] = mapped_column()
    op: Mapped[str] = mapped_column(sa.String(10), default="upsert")  # upsert | delete
    # Indexed: every public response's Last-Modified reads the newest one.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class OldSlug(db.Model):
    """A slug an item used to have; public URLs with it redirect (301) to the current one."""

    __tablename__ = "old_slug"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_type: Mapped[str] = mapped_column(sa.String(20))
    item_id: Mapped[int] = mapped_column()
    slug: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (sa.UniqueConstraint("item_type", "slug", name="uq_old_slug_type_slug"),)


class TaxonomyTerm(db.Model):
    """A term of one controlled vocabulary, with its Vietnamese and English labels."""

    __tablename__ = "taxonomy_term"

    id: Mapped[int] = mapped_column(primary_key=True)
    vocabulary: Mapped[str] = mapped_column(sa.String(30))
    code: Mapped[str] = mapped_column(sa.String(40))
    label_vi: Mapped[str] = mapped_column(sa.String(200))
    label_en: Mapped[str] = mapped_column(sa.String(200))
    position: Mapped[int] = mapped_column(default=0)

    __table_args__ = (sa.UniqueConstraint("vocabulary", "code", name="uq_taxonomy_vocabulary_code"),)


class Campaign(db.Model):
    """A campaign (the yearly 15 March one) as loaded from its content file (`content.campaigns`).

    ``data`` is the validated file; ``tag``, ``starts_on`` and ``ends_on`` are copied out of it
    so the pages find the current campaign through an index.
    """

    __tablename__ = "campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(200))
    tag: Mapped[str] = mapped_column(sa.String(40))
    starts_on: Mapped[date] = mapped_column(sa.Date)
    ends_on: Mapped[date] = mapped_column(sa.Date)
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (sa.UniqueConstraint("slug", name="uq_campaign_slug"),
                      sa.Index("ix_campaign_ends_on", "ends_on", "id"))


class User(db.Model):
    """An editor account. Roles: editor, publisher, enforcement, admin."""

    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(300))
    role: Mapped[str] = mapped_column(sa.String(20))
    org: Mapped[str] = mapped_column(sa.String(40), default="newsroom")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Sessions carry the epoch they were opened in; raising it ends every session of the user.
    session_epoch: Mapped[int] = mapped_column(default=0, server_default="0")
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64))  # base32; None: no second factor
    totp_last_counter: Mapped[int | None] = mapped_column(sa.BigInteger)  # last time step used (no replay)

    # Flask-Login protocol
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)


class RecoveryCode(db.Model):
    """A one-time second-factor recovery code, kept only as a hash."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(300))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LoginFailure(db.Model):
    """A failed login, kept for rate limiting by account and by address."""

    __tablename__ = "login_failure"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), index=True)
    remote_addr: Mapped[str] = mapped_column(sa.String(64), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
