// The member's work location picker: an ECharts scatter on plain longitude/latitude axes (no tile server, works
// offline) with the district centres as landmarks. A click on the map, or the browser's position, fills in the
// longitude and latitude fields (WGS-84); the member can also type them, in either datum, and then saves the form.
(function () {
  "use strict";

  function render(el) {
    if (!window.echarts || el.dataset.bound) return;
    el.dataset.bound = "1";
    var source = document.getElementById(el.dataset.workLocationMap);
    if (!source) return;
    var cfg = JSON.parse(source.textContent);
    var L = cfg.labels;
    var form = document.getElementById("work-location-form");
    var status = document.getElementById("work-location-status");
    var at = cfg.at;
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    window.addEventListener("resize", function () { chart.resize(); });

    // About 6 km around the centre, a kilometre as long east-west as north-south on screen.
    function axes(centre, span) {
      var k = Math.cos(centre[1] * Math.PI / 180);
      var ratio = (el.clientWidth || 600) / (el.clientHeight || 280);
      var h = span, w = span * ratio;
      return { xmin: centre[0] - w / 2 / k, xmax: centre[0] + w / 2 / k, ymin: centre[1] - h / 2, ymax: centre[1] + h / 2 };
    }

    function draw(recentre) {
      var option = {
        animation: false,
        grid: { left: 44, right: 10, top: 10, bottom: 24 },
        tooltip: { trigger: "item", formatter: function (p) { return p.data && p.data.name ? p.data.name : ""; } },
        series: [
          { type: "scatter", silent: true, symbolSize: 5, itemStyle: { color: "#bbb" },
            label: { show: true, position: "right", color: "#999", fontSize: 11, formatter: function (p) { return p.data.name; } },
            data: (cfg.districts || []).map(function (d) { return { name: d.name, value: [d.lng, d.lat] }; }) },
          { type: "scatter", name: "here", symbol: "pin", symbolSize: 30, z: 3, itemStyle: { color: "#c62828" },
            data: at ? [{ name: L.here, value: at }] : [] }
        ]
      };
      if (recentre) {
        var ext = axes(at || cfg.centre, at ? 0.03 : 0.06);
        var axis = function (min, max) {
          return { type: "value", min: min, max: max, scale: true, axisLabel: { fontSize: 10, color: "#999", formatter: function (v) { return v.toFixed(3); } },
            splitLine: { lineStyle: { color: "#eee" } }, axisLine: { show: false }, axisTick: { show: false } };
        };
        option.xAxis = axis(ext.xmin, ext.xmax);
        option.yAxis = axis(ext.ymin, ext.ymax);
        option.dataZoom = [{ type: "inside", xAxisIndex: 0, filterMode: "none" }, { type: "inside", yAxisIndex: 0, filterMode: "none" }];
      }
      chart.setOption(option, recentre);
      el.dataset.ready = "1";
    }

    function choose(lng, lat, note, recentre) {
      at = [lng, lat];
      form.elements.lng.value = lng.toFixed(6);
      form.elements.lat.value = lat.toFixed(6);
      form.elements.coord.value = "wgs84";
      status.textContent = note || "";
      draw(recentre);
    }

    chart.getZr().on("click", function (ev) {
      var p = chart.convertFromPixel({ gridIndex: 0 }, [ev.offsetX, ev.offsetY]);
      if (p) choose(p[0], p[1], L.picked, false);
    });
    document.getElementById("work-location-locate").addEventListener("click", function () {
      if (!navigator.geolocation) { status.textContent = L.denied; return; }
      status.textContent = L.locating;
      navigator.geolocation.getCurrentPosition(function (pos) {
        choose(pos.coords.longitude, pos.coords.latitude, L.picked, true);
      }, function () { status.textContent = L.denied; }, { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
    });
    draw(true);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-work-location-map]").forEach(render);
  });
})();
