/* The service menu's report: how long the open orders have waited (bars, overdue ones in red) and how many were
   completed each week. Data comes from the page's JSON script; no inline script (the CSP forbids it). */
(function () {
  "use strict";

  function draw(el) {
    if (!window.echarts || el.dataset.rendered) return;
    var source = document.getElementById(el.dataset.chartSource);
    if (!source) return;
    var data = JSON.parse(source.textContent);
    el.dataset.rendered = "1";
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    var option;
    if (el.dataset.servicemenuChart === "waits") {
      option = {
        tooltip: { trigger: "axis" },
        grid: { left: 48, right: 16, top: 24, bottom: 32 },
        xAxis: { type: "category", data: data.waits.map(function (b) { return b.label; }) },
        yAxis: { type: "value", minInterval: 1, name: data.labels.waiting },
        series: [{
          type: "bar",
          name: data.labels.waiting,
          data: data.waits.map(function (b) {
            return { value: b.count, itemStyle: { color: b.overdue ? "#c0392b" : "#2f6fb0" } };
          })
        }]
      };
    } else {
      option = {
        tooltip: { trigger: "axis" },
        grid: { left: 48, right: 16, top: 24, bottom: 32 },
        xAxis: { type: "category", data: data.weekly.map(function (w) { return w.week; }) },
        yAxis: { type: "value", minInterval: 1, name: data.labels.completed },
        series: [{ type: "line", name: data.labels.completed, data: data.weekly.map(function (w) { return w.completed; }) }]
      };
    }
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-servicemenu-chart]").forEach(draw);
  });
})();
