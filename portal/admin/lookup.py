"""Small shared pieces of the admin views: the actor, the item from the URL, the form's version."""
from __future__ import annotations

from typing import Any, Callable

from flask import abort, flash
from flask_login import current_user
from flask_wtf import FlaskForm

from ..content import permissions as perm
from ..content.models import CONTENT_MODELS, ContentMixin, Revision, User
from ..extensions import db
from ..params import whole_number
from .accounts import AccountError
from .convert import attach_error

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
    return whole_number(value, max_digits=9)


def revision_author(revision: Revision | None) -> User | None:
    return db.session.get(User, revision.author_id) if revision is not None and revision.author_id else None


def commit_account_change(form: FlaskForm, change: Callable[[], Any]) -> tuple[bool, Any]:
    """Run an account change and commit: (True, its result); or, when the service refuses it
    (`AccountError`), roll back, show the message at its field (else as a flash) and (False, None)."""
    try:
        result = change()
        db.session.commit()
    except AccountError as exc:
        db.session.rollback()
        if not attach_error(form, exc.field, exc.message):
            flash(exc.message, "error")
        return False, None
    return True, result
