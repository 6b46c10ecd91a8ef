// Edit pages: add formset rows, scroll to / highlight the field a finding links to, keep what is typed as a
// server-side draft (暂存), and ask before leaving a tab with unsaved changes. The computed cells are updated
// by htmx from the server (hx-post on the form); nothing here computes a figure.
(function () {
  "use strict";

  // The live recompute posts the form as JSON (hx-ext="json-enc"): Django reads the CSRF token of such a
  // body from the header, not from the form's hidden field.
  document.addEventListener("htmx:configRequest", function (event) {
    var token = event.detail.elt.querySelector && event.detail.elt.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) event.detail.headers["X-CSRFToken"] = token.value;
  });

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

  // ------------------------------------------------------------ 暂存 and the leave guard
  var LEAVE_QUESTION = "本页有尚未保存的修改。离开后可在下次打开本页时从暂存恢复，但只有点「保存」才算保存。确定离开吗？";
  var DRAFT_DELAY_MS = 1500;
  var dirty = false;
  var submitting = false;
  var timer = null;

  function draftForm() {
    return document.querySelector("form[data-draft-url]");
  }

  function keepDraft() {
    var form = draftForm();
    timer = null;
    if (!form || submitting) return;
    var body = new URLSearchParams(new FormData(form));
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    fetch(form.getAttribute("data-draft-url"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      keepalive: true,  // a draft sent as the preparer leaves the tab still arrives
      headers: token ? { "X-CSRFToken": token.value } : {},
    }).then(function (response) {
      if (response.ok) form.setAttribute("data-draft-saved", String(Date.now()));
    }).catch(function () { /* the next change tries again */ });
  }

  function changed(event) {
    var form = draftForm();
    if (!form || !form.contains(event.target)) return;
    dirty = true;
    if (timer) clearTimeout(timer);
    timer = setTimeout(keepDraft, DRAFT_DELAY_MS);
  }

  document.addEventListener("input", changed);
  document.addEventListener("change", changed);
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-add-row]")) changed({ target: event.target });
  }, true);
  document.addEventListener("submit", function (event) {
    if (event.target === draftForm()) {
      submitting = true;
      dirty = false;
      if (timer) clearTimeout(timer);
    }
  });
  window.addEventListener("beforeunload", function (event) {
    if (!dirty || submitting) return;
    event.preventDefault();
    event.returnValue = LEAVE_QUESTION;
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-testid=edit-tabs] a, [data-leave-guard] a");
    if (!link || !dirty || submitting) return;
    if (!window.confirm(LEAVE_QUESTION)) {
      event.preventDefault();
      return;
    }
    if (timer) { clearTimeout(timer); keepDraft(); }
    dirty = false;  // asked once: the browser's own question would follow otherwise
  });
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.getElementById("save-refused");
    if (summary && !window.location.hash) summary.focus();
    // A restored draft, a refused save or a conflict shows what is not saved yet: leaving asks as if it had
    // just been typed.
    if (document.querySelector("[data-testid=draft-restored], [data-testid=save-refused], [data-testid=conflict]")) {
      dirty = true;
    }
  });
})();
