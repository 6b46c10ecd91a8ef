// The draft PDF status page (templates/publishing/pdf_draft.html): polls the render's status and opens the
// PDF in this tab when it is ready, so the preparer never faces a blank tab. A static file: the
// Content-Security-Policy allows no inline script.
(function () {
  "use strict";
  var root = document.getElementById("draft-pdf");
  if (!root) return;
  var box = root.querySelector("[role=status]");
  var message = root.querySelector("[data-role=message]");
  var elapsed = root.querySelector("[data-role=elapsed]");
  var link = root.querySelector("[data-role=open]");
  var started = Date.now();
  var delay = 300;

  function show(kind, text) {
    box.className = "alert alert-" + kind;
    message.textContent = text;
  }

  function poll() {
    fetch(root.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (state) {
        if (state.status === "done") {
          show("success", "草稿 PDF 已生成（" + state.pages + " 页），正在打开……");
          link.href = state.pdf_url;
          link.hidden = false;
          window.location.assign(state.pdf_url);
        } else if (state.status === "failed") {
          show("danger", "草稿 PDF 生成失败：" + state.error);
        } else {
          elapsed.textContent = "已等待 " + Math.round((Date.now() - started) / 1000) + " 秒";
          delay = Math.min(delay * 1.5, 2000);
          window.setTimeout(poll, delay);
        }
      })
      .catch(function () {
        show("warning", "暂时无法获取生成进度，正在重试……");
        window.setTimeout(poll, 2000);
      });
  }

  poll();
})();
