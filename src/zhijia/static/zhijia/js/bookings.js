// The booking report: bookings and check-ins per day as bars, the check-in rate as a line (data from json_script).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("report-chart");
    if (!box || !window.echarts) return;
    var data = JSON.parse(document.getElementById(box.dataset.config).textContent);
    var chart = window.echarts.init(box);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { data: [data.labels.bookings, data.labels.checked_in, data.labels.rate] },
      grid: { left: 40, right: 40, top: 40, bottom: 30 },
      xAxis: { type: "category", data: data.days },
      yAxis: [{ type: "value", minInterval: 1 }, { type: "value", min: 0, max: 100 }],
      series: [
        { name: data.labels.bookings, type: "bar", data: data.bookings },
        { name: data.labels.checked_in, type: "bar", data: data.checked_in },
        { name: data.labels.rate, type: "line", yAxisIndex: 1, data: data.rate, connectNulls: true }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
