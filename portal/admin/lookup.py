"""Small shared pieces of the admin views: the actor, the item from the URL, the form's version."""
from __future__ import annotations

from flask import abort
from flask_login import current_user

from ..content import permissions as perm
from ..content.models import CONTENT_MODELS, ContentMixin, Revision, User
from ..extensions import db

KIND = "<any(warning,article,sanction):kind>"


def actor() -> User:
    """The logged-in user (the blueprint lets no anonymous request through)."""
    return current_user._get_current_object()


def require_view(kind: str) -> None:
    perm.require(perm.can_read_admin(actor(), kind), "view", kind)


def get_item(kind: str, item_id: int) -> ContentMixin:
    """The item in the URL, if the actor may see this type; 404 when there is none."""
    require_view(kind)
    item = db.session.get(CONTENT_MODELS[kind], item_id)
    if item is None:
        abort(404)
    return item


def form_version(value: str | None) -> int | None:
    """The version a form was opened at (None when missing or not a number: refused as stale)."""
    return int(value) if value and value.isdecimal() and len(value) < 10 else None


def revision_author(revision: Revision | None) -> User | None:
    return db.session.get(User, revision.author_id) if revision is not None and revision.author_id else None
