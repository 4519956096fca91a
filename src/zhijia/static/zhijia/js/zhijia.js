// Page behaviour without inline scripts (the content security policy forbids them).
(function () {
  "use strict";

  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) event.detail.headers["X-CSRFToken"] = meta.content;
  });

  function bindAutosubmit(root) {
    root.querySelectorAll("select.autosubmit").forEach(function (el) {
      el.addEventListener("change", function () { el.form.submit(); });
    });
  }

  function readData(el) {
    var source = document.getElementById(el.dataset.chartSource);
    return source ? JSON.parse(source.textContent) : null;
  }

  function renderChart(el) {
    if (!window.echarts || el.dataset.rendered) return;
    var data = readData(el);
    if (!data) return;
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    var option;
    if (el.dataset.chart === "pie") {
      // On a phone the slice labels would not fit beside the pie: a legend underneath names the colours instead.
      var narrow = el.clientWidth < 520;
      option = {
        tooltip: { trigger: "item" },
        legend: narrow ? { bottom: 0, left: 0, right: 0 } : { show: false },
        series: [{ type: "pie", radius: narrow ? ["30%", "58%"] : ["35%", "70%"], center: ["50%", narrow ? "40%" : "50%"],
          label: { show: !narrow }, labelLine: { show: !narrow },
          data: data.map(function (d) { return { name: d.label, value: d.count }; }) }]
      };
    } else {
      option = {
        tooltip: { trigger: "axis" },
        grid: { left: 60, right: 20, bottom: 80, top: 20 },
        xAxis: { type: "category", data: data.categories, axisLabel: { rotate: 40 } },
        yAxis: { type: "value" },
        series: [{ type: "bar", data: data.values, itemStyle: { color: "#c62828" } }]
      };
    }
    chart.setOption(option);
    el.dataset.rendered = "1";
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function init(root) {
    bindAutosubmit(root);
    root.querySelectorAll("[data-chart]").forEach(renderChart);
    root.querySelectorAll(".tree-toggle").forEach(function (btn) {
      if (btn.dataset.bound) return;
      btn.dataset.bound = "1";
      btn.addEventListener("click", function () {
        var node = btn.closest(".tree-node");
        var open = node.classList.toggle("open");
        btn.textContent = open ? "▾" : "▸";
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.detail.elt); });
})();
