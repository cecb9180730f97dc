"""Previews: the public page of a draft, rendered with the public templates themselves.

The admin shows it in a sandboxed ``<iframe srcdoc>`` (no scripts), so the editor sees
exactly the page residents will see, with its own styles, without any JavaScript.
"""
from __future__ import annotations

from typing import Any

from flask import current_app, render_template, request
from jinja2 import TemplateNotFound, UndefinedError
from werkzeug.routing import BuildError

from ..content.models import CONTENT_MODELS, PUBLISHED, WITHDRAWN, ContentMixin, utcnow
from ..content.schema import apply

PUBLIC_TEMPLATES = {"warning": "public/warning.html", "article": "public/guide.html",
                    "sanction": "public/sanction.html"}


def transient_item(kind: str, clean: dict[str, Any], item_id: int | None = None,
                   withdrawn_reason: str = "") -> ContentMixin:
    """An unsaved row holding ``clean`` as if it were live (never added to the session)."""
    item = CONTENT_MODELS[kind]()
    apply(item, clean)
    now = utcnow()
    item.id = item_id or 0
    item.status = WITHDRAWN if withdrawn_reason else PUBLISHED
    if withdrawn_reason:
        item.withdrawn_reason = withdrawn_reason
    item.published_at = item.published_at or now
    item.created_at = item.updated_at = now
    item.version = 1
    if kind == "sanction":
        item.published_from = item.published_from or item.published_at
    return item


def render_draft(kind: str, item: ContentMixin, complete: bool) -> str:
    """The public page of a complete draft; a draft still missing required fields (which the
    public templates may rely on) gets the plain admin rendering."""
    if complete:
        return render_public(kind, item)
    return render_template("admin/preview_fallback.html", item=item, kind=kind)


def render_public(kind: str, item: ContentMixin) -> str:
    """The full public page for ``item``; a plain admin rendering if that template cannot."""
    try:
        from ..content import queries
        from ..public.meta import item_meta

        context: dict[str, Any] = {"item": item, "alternates": {"vi": request.url, "en": request.url},
                                   "meta": item_meta(item, request.url), "preview": True}
        if kind == "warning":
            context["source_code"] = queries.source_code(item.source_authority)
        return render_template(PUBLIC_TEMPLATES[kind], **context)
    except (ImportError, TemplateNotFound, BuildError, AttributeError, TypeError, KeyError, UndefinedError) as exc:
        current_app.logger.warning("public preview of %s fell back to the admin rendering: %r", kind, exc)
        return render_template("admin/preview_fallback.html", item=item, kind=kind)
