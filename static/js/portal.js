// Progressive enhancement only: every page works without this file.
// On wide screens, filter panels start open (on phones they stay folded under their summary).
(function () {
  if (!window.matchMedia || !window.matchMedia("(min-width: 56rem)").matches) return;
  document.querySelectorAll("details[data-open-wide]").forEach(function (el) { el.open = true; });
})();
