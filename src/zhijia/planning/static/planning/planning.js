// The ten-minute circle's maps, drawn with ECharts on plain longitude/latitude axes: no tile server, no internet.
// Data comes from a json_script block named by data-planning-map (the content security policy forbids inline code).
(function () {
  "use strict";

  var BANDS = [
    { lte: 5, color: "#1b5e20" },
    { gt: 5, lte: 10, color: "#66bb6a" },
    { gt: 10, lte: 15, color: "#fdd835" },
    { gt: 15, lte: 30, color: "#fb8c00" },
    { gt: 30, color: "#c62828" }
  ];

  function extent(rows, pad) {
    var x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    rows.forEach(function (r) {
      if (r[0] < x0) x0 = r[0]; if (r[0] > x1) x1 = r[0];
      if (r[1] < y0) y0 = r[1]; if (r[1] > y1) y1 = r[1];
    });
    if (!isFinite(x0)) return null;
    return { x0: x0 - pad, x1: x1 + pad, y0: y0 - pad, y1: y1 + pad };
  }

  // Stretch the shorter side so that a kilometre east is as long on screen as a kilometre north.
  function square(box, width, height) {
    var k = Math.cos(((box.y0 + box.y1) / 2) * Math.PI / 180);
    var dx = (box.x1 - box.x0) * k, dy = box.y1 - box.y0;
    var want = width / height;
    if (dx / dy < want) {
      var grow = (dy * want / k - (box.x1 - box.x0)) / 2;
      box.x0 -= grow; box.x1 += grow;
    } else {
      var grow2 = (dx / want - dy) / 2;
      box.y0 -= grow2; box.y1 += grow2;
    }
    return { box: box, pxPerDegLat: height / (box.y1 - box.y0), k: k };
  }

  function render(el) {
    if (!window.echarts || el.dataset.rendered) return;
    var source = document.getElementById(el.dataset.planningMap);
    if (!source) return;
    var data = JSON.parse(source.textContent);
    // The view is framed on the workers (and suggestions); points beyond it are clipped by the axes.
    var framed = data.cells.concat(data.suggestions || []);
    if (!framed.length) framed = data.points;
    var box = extent(framed.length ? framed : data.districts.map(function (d) { return [d.lng, d.lat]; }), 0.01);
    if (!box) return;
    var grid = { left: 10, right: 10, top: 30, bottom: 60 };
    var fit = square(box, el.clientWidth - grid.left - grid.right, el.clientHeight - grid.top - grid.bottom);
    var cellPx = Math.max(2, data.cell_m / 111320 * fit.pxPerDegLat);
    var cellSymbol = "rect", cellSize = cellPx;
    if (data.hex && data.hex.corners_m && data.hex.corners_m.length) {
      // H3 cells: one cell's outline (metres east and north of its centre) drawn at every centre. ECharts fits a
      // path's bounding box to the symbol's size, and a hexagon's box is centred on the hexagon's centre.
      var c = data.hex.corners_m, xs = c.map(function (p) { return p[0]; }), ys = c.map(function (p) { return p[1]; });
      var w = Math.max.apply(null, xs) - Math.min.apply(null, xs), h = Math.max.apply(null, ys) - Math.min.apply(null, ys);
      var px = fit.pxPerDegLat / 111320;
      cellSymbol = "path://" + c.map(function (p, i) { return (i ? "L" : "M") + p[0].toFixed(1) + " " + (-p[1]).toFixed(1); }).join(" ") + " Z";
      cellSize = [Math.max(2, w * px), Math.max(2, h * px)];
    }
    var L = data.labels;
    var series = [
      // Not "large": ECharts' large mode draws every item in one colour and would ignore the time bands.
      { name: L.cells, type: "scatter", symbol: cellSymbol, symbolSize: cellSize, progressive: 5000,
        data: data.cells, encode: { x: 0, y: 1 }, itemStyle: { color: "#fb8c00", opacity: 0.9 }, z: 2 },
      { name: L.points, type: "scatter", symbolSize: 2, large: true, data: data.points,
        itemStyle: { color: "#37474f", opacity: 0.45 }, z: 3, silent: true }
    ];
    if (data.suggestions) {
      series.push({ name: L.suggestions, type: "scatter", symbol: "path://M50 0 L61 35 L98 35 L68 57 L79 91 L50 70 L21 91 L32 57 L2 35 L39 35 Z",
        symbolSize: 16, data: data.suggestions, itemStyle: { color: "#d50000", borderColor: "#fff", borderWidth: 1 }, z: 5,
        label: { show: true, formatter: function (p) { return p.value[2]; }, position: "top", fontSize: 10 } });
    }
    if (data.districts.length) {
      series.push({ type: "scatter", symbolSize: 0, silent: true, z: 4,
        data: data.districts.map(function (d) { return { name: d.name, value: [d.lng, d.lat] }; }),
        label: { show: true, formatter: "{b}", color: "#37474f", fontSize: 12, fontWeight: "bold" } });
    }
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      grid: grid,
      legend: { top: 0, data: [L.cells, L.points].concat(data.suggestions ? [L.suggestions] : []) },
      tooltip: { trigger: "item", formatter: function (p) {
        var v = p.value;
        if (p.seriesIndex === 0) return v[2] + " " + L.minutes + "<br>" + L.workers + " " + v[3] + " · " + L.outside + " " + v[4];
        if (p.seriesName === L.suggestions) return v[2] + ". " + v[4] + "<br>+" + v[3] + " " + L.workers;
        return p.name || "";
      } },
      visualMap: { type: "piecewise", seriesIndex: 0, dimension: 2, pieces: BANDS, orient: "horizontal", left: "center",
        bottom: 5, text: [L.minutes, ""], itemWidth: 14 },
      xAxis: { type: "value", min: fit.box.x0, max: fit.box.x1, show: false, scale: true },
      yAxis: { type: "value", min: fit.box.y0, max: fit.box.y1, show: false, scale: true },
      dataZoom: [{ type: "inside", xAxisIndex: 0, filterMode: "none" }, { type: "inside", yAxisIndex: 0, filterMode: "none" }],
      series: series
    });
    el.dataset.rendered = "1";
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function init(root) { root.querySelectorAll("[data-planning-map]").forEach(render); }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.detail.elt); });
})();
