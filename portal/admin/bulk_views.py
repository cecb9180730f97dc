"""Bulk actions from the admin lists: choose items and a step, confirm, see a line per item."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from . import bulk
from .blueprint import bp
from .forms import BulkForm, options
from .lookup import KIND, actor, require_view


def bulk_form(kind: str) -> BulkForm:
    """The bulk form of a list, offering only the steps the actor's role allows."""
    form = BulkForm()
    form.action.choices = options([("", _("— Chọn thao tác —"))] +
                                  [(action, bulk.ACTION_LABELS[action]) for action in bulk.allowed_actions(actor(), kind)])
    return form


@bp.route(f"/{KIND}s/bulk", methods=["POST"])
def bulk_action(kind: str):
    """First POST: the confirmation page. Second POST (``confirm``): run and show the results."""
    require_view(kind)
    form = bulk_form(kind)
    back = redirect(request.referrer if _same_list(kind) else url_for("admin.content_list", kind=kind))
    if not form.validate_on_submit():
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "error")
        return back
    targets = bulk.parse_targets(request.form.getlist("item"))
    if targets is None:
        flash(_("Danh sách mục đã chọn không hợp lệ; hãy tải lại trang rồi chọn lại."), "error")
        return back
    if not form.action.data or not targets:
        flash(_("Hãy chọn ít nhất một mục và một thao tác."), "error")
        return back
    if len(targets) > bulk.MAX_ITEMS:
        flash(_("Mỗi lần chỉ được chọn tối đa %(n)s mục.", n=bulk.MAX_ITEMS), "error")
        return back
    reason = (form.reason.data or "").strip()
    needs_reason = form.action.data == "withdraw"
    if form.confirm.data != "1" or (needs_reason and not reason):
        if form.confirm.data == "1":
            form.reason.errors = [_("Hãy ghi lý do thu hồi; lý do này hiển thị công khai.")]
        form.reason.label.text = (_("Lý do thu hồi (hiển thị công khai trên mỗi cảnh báo)") if needs_reason
                                  else _("Lý do (chỉ ghi trong nhật ký)"))
        items = bulk.load_items(kind, targets)
        return render_template("admin/bulk_confirm.html", kind=kind, form=form, targets=targets, items=items,
                               action=form.action.data, needs_reason=needs_reason,
                               action_label=bulk.ACTION_LABELS[form.action.data]), 200 if form.confirm.data != "1" else 422
    results = bulk.run(actor(), kind, form.action.data, targets, reason)
    return render_template("admin/bulk_results.html", kind=kind, results=results,
                           action_label=bulk.ACTION_LABELS[form.action.data],
                           done=sum(1 for r in results if r.ok), refused=sum(1 for r in results if not r.ok))


def _same_list(kind: str) -> bool:
    """Whether the referring page is this type's list on this site (to go back with its filters)."""
    referrer = request.referrer or ""
    return referrer.startswith(request.host_url + f"admin/{kind}s/")
