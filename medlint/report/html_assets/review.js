// medlint's highlighted view: a click on a highlighted span shows its findings in a small
// panel beside it. Shared by `medlint check --format html` and the review page. Builds no
// markup from strings: it clones the finding entries the server already escaped.
(function () {
  "use strict";
  var pop = null;
  function popover() {
    if (!pop) {
      pop = document.createElement("ol");
      pop.id = "popover";
      pop.hidden = true;
      document.body.appendChild(pop);
    }
    return pop;
  }
  function hide() {
    var p = popover();
    p.hidden = true;
    p.textContent = "";
    document.querySelectorAll("a.f.active").forEach(function (a) { a.classList.remove("active"); });
  }
  function show(a) {
    hide();
    var p = popover();
    (a.getAttribute("data-refs") || "").split(" ").forEach(function (id) {
      var li = id && document.getElementById(id);
      if (li) {
        var copy = li.cloneNode(true);
        copy.removeAttribute("id");
        p.appendChild(copy);
      }
    });
    var box = a.getBoundingClientRect();
    p.style.left = Math.max(8, Math.min(window.scrollX + box.left, window.scrollX + document.documentElement.clientWidth - 460)) + "px";
    p.style.top = (window.scrollY + box.bottom + 6) + "px";
    p.hidden = false;
    a.classList.add("active");
  }
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest && ev.target.closest("a.f");
    if (a) {
      ev.preventDefault();
      show(a);
    } else if (!(ev.target.closest && ev.target.closest("#popover"))) {
      hide();
    }
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") { hide(); }
    if (ev.key === "Enter" && ev.target.matches && ev.target.matches("a.f")) { ev.preventDefault(); show(ev.target); }
  });
  window.medlintHidePopover = hide;
})();
