// Charts of rating homes (no inline scripts: the CSP forbids them). Data comes from json_script blocks.
(function () {
  "use strict";

  function readData(el) {
    var source = document.getElementById(el.dataset.chartSource);
    return source ? JSON.parse(source.textContent) : null;
  }

  function render(el) {
    if (!window.echarts || el.dataset.rendered) return;
    var data = readData(el);
    if (!data) return;
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    var option;
    if (el.dataset.ratingsChart === "trend") {
      // Average stars per month as a line (left axis, 1-5) and the number of ratings as bars (right axis).
      option = {
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 50, right: 50, bottom: 40, top: 40 },
        xAxis: { type: "category", data: data.categories },
        yAxis: [{ type: "value", min: 0, max: 5, name: data.labels.average },
                { type: "value", minInterval: 1, name: data.labels.count }],
        series: [
          { type: "line", name: data.labels.average, data: data.average, itemStyle: { color: "#c62828" } },
          { type: "bar", name: data.labels.count, yAxisIndex: 1, data: data.count, itemStyle: { color: "#90caf9" } }
        ]
      };
    } else {
      // Homes per number of stars in each district, stacked.
      var colours = ["#b71c1c", "#e53935", "#ef6c00", "#f9a825", "#9e9d24", "#bdbdbd"];
      option = {
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 50, right: 20, bottom: 80, top: 40 },
        xAxis: { type: "category", data: data.categories, axisLabel: { rotate: 30 } },
        yAxis: { type: "value", minInterval: 1 },
        series: data.series.map(function (s, i) {
          return { type: "bar", stack: "stars", name: s.name, data: s.data, itemStyle: { color: colours[i] } };
        })
      };
    }
    chart.setOption(option);
    el.dataset.rendered = "1";
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function init(root) { root.querySelectorAll("[data-ratings-chart]").forEach(render); }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.detail.elt); });
})();
