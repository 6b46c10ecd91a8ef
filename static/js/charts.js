/* Draws every chart of the page with Apache ECharts (static/vendor/echarts). A chart is an element
   [data-chart="ID"] whose data is the json_script element "ID-data" (perfeval/charts.py); its table and text
   alternative are printed by the server beside it, so nothing here is the only copy of a figure. */
(function () {
  "use strict";
  if (typeof echarts === "undefined") { return; }
  var PALETTE = ["#0b5ed7", "#d63384", "#198754", "#fd7e14", "#6f42c1", "#20c997", "#6c757d", "#dc3545"];

  function toNumber(value) { return value === null ? null : Number(value); }

  function option(spec) {
    var series = spec.series.map(function (s) {
      return {
        name: s.name,
        type: spec.kind === "line" ? "line" : "bar",
        data: s.values.map(toNumber),
        connectNulls: false,
        emphasis: { focus: "series" }
      };
    });
    return {
      animation: false,
      color: PALETTE,
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null || v === undefined ? "未填" : v + spec.unit; } },
      legend: { show: series.length > 1, top: 0 },
      grid: { left: 8, right: 16, top: series.length > 1 ? 32 : 12, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: spec.categories, axisLabel: { interval: spec.categories.length > 12 ? "auto" : 0, rotate: spec.categories.length > 6 ? 30 : 0 } },
      yAxis: { type: "value", name: spec.unit, nameTextStyle: { align: "left" } },
      series: series
    };
  }

  function draw(element) {
    var source = document.getElementById(element.getAttribute("data-chart") + "-data");
    if (!source) { return; }
    var spec = JSON.parse(source.textContent);
    var chart = echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(option(spec));
    element.setAttribute("data-drawn", "true");
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function drawAll() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-chart]"), draw);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", drawAll); } else { drawAll(); }
})();
