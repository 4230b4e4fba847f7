// Footnote previews: show a note's content beside its citation on hover or keyboard focus.
// Progressive enhancement only: without this script every note is still at the foot of the page.
(function () {
  "use strict";
  var preview = null;
  function hide() { if (preview) { preview.remove(); preview = null; } }
  function show(link) {
    var id = link.getAttribute("href").slice(1);
    var note = document.getElementById(id);
    if (!note) { return; }
    hide();
    var body = note.querySelector(".note-body");
    preview = document.createElement("div");
    preview.className = "note-preview";
    preview.setAttribute("role", "tooltip");
    preview.id = "note-preview";
    preview.innerHTML = body ? body.innerHTML : note.innerHTML;
    document.body.appendChild(preview);
    var box = link.getBoundingClientRect();
    var left = Math.min(window.scrollX + box.left, window.scrollX + document.documentElement.clientWidth - preview.offsetWidth - 8);
    preview.style.left = Math.max(8, left) + "px";
    preview.style.top = (window.scrollY + box.bottom + 6) + "px";
    link.setAttribute("aria-describedby", "note-preview");
  }
  document.addEventListener("DOMContentLoaded", function () {
    var links = document.querySelectorAll("sup.cite a");
    Array.prototype.forEach.call(links, function (link) {
      link.addEventListener("mouseenter", function () { show(link); });
      link.addEventListener("focus", function () { show(link); });
      link.addEventListener("mouseleave", hide);
      link.addEventListener("blur", function () { hide(); link.removeAttribute("aria-describedby"); });
    });
    document.addEventListener("keydown", function (event) { if (event.key === "Escape") { hide(); } });
  });
})();
