// The points report: points earned, redeemed and expired per month as bars (data from json_script).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("points-chart");
    if (!box || !window.echarts) return;
    var data = JSON.parse(document.getElementById(box.dataset.config).textContent);
    var chart = window.echarts.init(box);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { data: [data.labels.earned, data.labels.redeemed, data.labels.expired] },
      grid: { left: 50, right: 20, top: 40, bottom: 30 },
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: data.labels.earned, type: "bar", data: data.earned },
        { name: data.labels.redeemed, type: "bar", data: data.redeemed },
        { name: data.labels.expired, type: "bar", data: data.expired }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
