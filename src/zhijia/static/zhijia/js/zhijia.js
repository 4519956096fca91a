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
    } else if (el.dataset.chart === "timing") {
      // Time to the card per union: median minutes as bars against the target line, share under target as a line.
      option = {
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 50, right: 50, bottom: 90, top: 40 },
        xAxis: { type: "category", data: data.categories, axisLabel: { rotate: 40, width: 110, overflow: "truncate" } },
        yAxis: [{ type: "value", name: data.labels.median, nameTextStyle: { align: "left" },
                  max: function (v) { return Math.ceil(Math.max(v.max, data.target * 1.25)); } },
                { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } }],
        series: [
          { type: "bar", name: data.labels.median, data: data.median, itemStyle: { color: "#c62828" },
            markLine: { symbol: "none", data: [{ yAxis: data.target }], lineStyle: { color: "#1b5e20", type: "dashed" } } },
          { type: "line", name: data.labels.share, yAxisIndex: 1, data: data.share, itemStyle: { color: "#1565c0" },
            showSymbol: true, symbolSize: 8, clip: false }
        ]
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

  // The application form asks for an SMS code only when the phone differs from the account's own.
  function bindPhoneCode(root) {
    var row = root.querySelector ? root.querySelector("#phone-code-row") : null;
    var input = document.getElementById("id_phone");
    if (!row || !input || input.dataset.bound) return;
    input.dataset.bound = "1";
    var digits = function (v) { v = (v || "").replace(/\D/g, ""); return v.length === 13 && v.indexOf("86") === 0 ? v.slice(2) : v; };
    var update = function () { row.hidden = digits(input.value) === digits(row.dataset.accountPhone); };
    input.addEventListener("input", update);
    update();
  }

  function init(root) {
    bindAutosubmit(root);
    bindPhoneCode(root);
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
