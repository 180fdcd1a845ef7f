/* The queue by keyboard: "/" goes to the search box, "j"/"k" move between the dossiers, Enter
   opens the one focused (it is a link); a "select all" box for the bulk forms. Everything works
   without this file: it only adds shortcuts. */
(function () {
  "use strict";

  document.querySelectorAll("[data-select-all]").forEach(function (all) {
    var form = all.form;
    var name = all.getAttribute("data-select-all");
    var boxes = function () {
      return Array.prototype.slice.call(form.querySelectorAll('input[type="checkbox"][name="' + name + '"]'));
    };
    if (!form || boxes().length === 0) { return; }
    all.closest("[hidden]") && all.closest("[hidden]").removeAttribute("hidden");
    all.addEventListener("change", function () {
      boxes().forEach(function (box) { box.checked = all.checked; });
    });
    form.addEventListener("change", function (event) {
      if (event.target.name !== name) { return; }
      var checked = boxes().filter(function (box) { return box.checked; }).length;
      all.checked = checked === boxes().length;
      all.indeterminate = checked > 0 && checked < boxes().length;
    });
  });

  function typing(target) {
    if (target.isContentEditable) { return true; }
    var tag = target.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT") { return true; }
    return tag === "INPUT" && target.type !== "checkbox" && target.type !== "radio";
  }

  function move(step) {
    var links = Array.prototype.slice.call(document.querySelectorAll("[data-row-link]"));
    if (links.length === 0) { return; }
    var row = document.activeElement && document.activeElement.closest ? document.activeElement.closest("tr") : null;
    var here = row ? links.indexOf(row.querySelector("[data-row-link]")) : -1;
    var next = here === -1 ? (step > 0 ? 0 : links.length - 1) : Math.min(Math.max(here + step, 0), links.length - 1);
    links[next].focus();
    links[next].scrollIntoView({ block: "nearest" });
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    if (event.key === "/") {
      var search = document.querySelector('[data-queue-search] input[type="search"]');
      if (search) { event.preventDefault(); search.focus(); search.select(); }
    } else if (event.key === "j" || event.key === "k") {
      event.preventDefault();
      move(event.key === "j" ? 1 : -1);
    }
  });
})();
