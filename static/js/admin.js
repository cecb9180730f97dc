// Admin pages, progressive enhancement only: every page works without this file.
// 1. A form marked data-unsaved-warning asks before the page is left with unsaved changes
//    (only when a field differs from how the page loaded it; never when the form is submitted).
// 2. A "select all" box on content lists ticks every item of the page for a bulk action.
(function () {
  "use strict";

  function snapshot(form) {
    var parts = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.type === "hidden" || el.type === "submit" || el.type === "button") return;
      if (el.type === "checkbox" || el.type === "radio") parts.push(el.name + "=" + el.checked);
      else if (el.type === "file") parts.push(el.name + "=" + (el.files ? el.files.length : 0));
      else if (el.multiple) {
        parts.push(el.name + "=" + Array.prototype.filter.call(el.options, function (o) { return o.selected; })
          .map(function (o) { return o.value; }).join(","));
      } else parts.push(el.name + "=" + el.value);
    });
    return parts.join("\u0000");
  }

  document.querySelectorAll("form[data-unsaved-warning]").forEach(function (form) {
    var initial = snapshot(form);
    var submitting = false;
    form.addEventListener("submit", function () { submitting = true; });
    window.addEventListener("beforeunload", function (event) {
      if (submitting || snapshot(form) === initial) return;
      event.preventDefault();
      event.returnValue = form.getAttribute("data-unsaved-message") || "";
      return event.returnValue;
    });
    // Coming back through the browser's cache: the page is live again, a later leave asks again.
    window.addEventListener("pageshow", function () { submitting = false; });
  });

  document.querySelectorAll("input.js-pick-all").forEach(function (all) {
    var form = all.form;
    if (!form) return;
    var boxes = form.querySelectorAll("input[type=checkbox][name=item]");
    all.hidden = false;
    all.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = all.checked; });
    });
    form.addEventListener("change", function (event) {
      if (event.target === all) return;
      var ticked = Array.prototype.filter.call(boxes, function (box) { return box.checked; }).length;
      all.checked = ticked === boxes.length;
      all.indeterminate = ticked > 0 && ticked < boxes.length;
    });
  });
})();
