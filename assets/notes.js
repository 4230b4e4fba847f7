// Footnote previews: show a note's content beside its citation on hover or keyboard focus.
// Progressive enhancement only: without this script every note is still at the foot of the page.
(function () {
  "use strict";
  var preview = null;
  var owner = null;
  var pendingHide = null;

  function hide() {
    clearTimeout(pendingHide);
    if (preview) { preview.remove(); preview = null; }
    if (owner) { owner.removeAttribute("aria-describedby"); owner = null; }
  }
  // Leaving the link for the preview itself keeps it open, so its links can be followed.
  function hideSoon() { clearTimeout(pendingHide); pendingHide = setTimeout(hide, 200); }

  function show(link) {
    var note = document.getElementById(link.getAttribute("href").slice(1));
    if (!note) { return; }
    hide();
    var body = note.querySelector(".note-body") || note;
    preview = document.createElement("div");
    preview.className = "note-preview";
    preview.id = "note-preview";
    preview.setAttribute("role", "tooltip");
    preview.innerHTML = body.innerHTML;
    preview.addEventListener("mouseenter", function () { clearTimeout(pendingHide); });
    preview.addEventListener("mouseleave", hideSoon);
    document.body.appendChild(preview);
    var box = link.getBoundingClientRect();
    var width = document.documentElement.clientWidth;
    var left = Math.min(box.left, width - preview.offsetWidth - 8);
    preview.style.left = (window.scrollX + Math.max(8, left)) + "px";
    preview.style.top = (window.scrollY + box.bottom + 6) + "px";
    owner = link;
    link.setAttribute("aria-describedby", "note-preview");
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("sup.cite a"), function (link) {
      link.addEventListener("mouseenter", function () { show(link); });
      link.addEventListener("focus", function () { show(link); });
      link.addEventListener("mouseleave", hideSoon);
      link.addEventListener("blur", hideSoon);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { hide(); }
    });
  });
})();
