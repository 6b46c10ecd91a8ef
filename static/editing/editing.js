// Edit pages: add formset rows, and scroll to / highlight the field a finding links to.
(function () {
  "use strict";

  function addRow(prefix) {
    var template = document.getElementById("empty-" + prefix);
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    if (!template || !total) return;
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("tbody");
    var table = template.closest("table");
    var wrapper = document.createElement("table");
    wrapper.innerHTML = html;
    var rows = wrapper.querySelectorAll("tbody");
    var anchor = document.querySelector('[data-formset="' + prefix + '"]');
    rows.forEach(function (row) {
      if (anchor && anchor.tagName === "TBODY") {
        anchor.parentNode.insertBefore(row, anchor);
      } else {
        table.appendChild(row);
      }
    });
    total.value = String(index + 1);
    var first = rows.length ? rows[0].querySelector("input:not([type=hidden]), select, textarea") : null;
    if (first) first.focus();
    return holder;
  }

  function highlight() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!id) return;
    var target = document.getElementById(id);
    // A finding may name a cell this page draws as a whole row: fall back to the row, then the table.
    var parts = id.split("-");
    while (!target && parts.length > 2) {
      parts.pop();
      target = document.getElementById(parts.join("-"));
    }
    if (!target) return;
    document.querySelectorAll(".finding-target").forEach(function (el) { el.classList.remove("finding-target"); });
    target.classList.add("finding-target");
    target.scrollIntoView({ block: "center" });
    var field = target.matches("input, select, textarea") ? target : target.querySelector("input:not([type=hidden]), select, textarea");
    if (field) field.focus({ preventScroll: true });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-add-row]");
    if (button) {
      event.preventDefault();
      addRow(button.getAttribute("data-add-row"));
    }
  });
  document.addEventListener("change", function (event) {
    if (event.target.name && /-DELETE$/.test(event.target.name)) {
      var row = event.target.closest(".formset-row");
      if (row) row.classList.toggle("marked-delete", event.target.checked);
    }
  });
  window.addEventListener("hashchange", highlight);
  document.addEventListener("DOMContentLoaded", highlight);
})();
