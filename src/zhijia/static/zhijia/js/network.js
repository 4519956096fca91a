// Maps of the service network, drawn with ECharts on a plain longitude/latitude grid: no tile server and no
// internet needed. A deployment with its own tile server (settings.NETWORK_MAP_TILE_URL) gets its tiles underneath.
// The finder asks the browser for the worker's position (or takes a point clicked on the map) and calls the API.
(function () {
  "use strict";

  var COLOURS = {
    enterprise_home: "#6a1b9a", shared_home: "#c62828", rest_station: "#1565c0",
    library: "#2e7d32", service_station: "#ef6c00", cultural_palace: "#6d4c41"
  };

  function config(el) {
    var source = document.getElementById(el.dataset.config);
    return source ? JSON.parse(source.textContent) : {};
  }

  // GCJ-02 from WGS-84 (the published transform), for a deployment whose tiles are drawn in GCJ-02.
  function gcj02(lng, lat) {
    if (lng < 72.004 || lng > 137.8347 || lat < 0.8293 || lat > 55.8271) return [lng, lat];
    var a = 6378245.0, ee = 0.00669342162296594323, PI = Math.PI, x = lng - 105.0, y = lat - 35.0;
    var common = (20 * Math.sin(6 * x * PI) + 20 * Math.sin(2 * x * PI)) * 2 / 3;
    var dLat = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x)) + common +
      (20 * Math.sin(y * PI) + 40 * Math.sin(y / 3 * PI)) * 2 / 3 + (160 * Math.sin(y / 12 * PI) + 320 * Math.sin(y * PI / 30)) * 2 / 3;
    var dLng = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x)) + common +
      (20 * Math.sin(x * PI) + 40 * Math.sin(x / 3 * PI)) * 2 / 3 + (150 * Math.sin(x / 12 * PI) + 300 * Math.sin(x / 30 * PI)) * 2 / 3;
    var radLat = lat / 180 * PI, magic = 1 - ee * Math.sin(radLat) * Math.sin(radLat), sq = Math.sqrt(magic);
    dLat = dLat * 180 / ((a * (1 - ee)) / (magic * sq) * PI);
    dLng = dLng * 180 / (a / sq * Math.cos(radLat) * PI);
    return [lng + dLng, lat + dLat];
  }

  // The datum the map draws in: WGS-84, or GCJ-02 when the configured tiles are.
  function mapCoord(cfg) { return cfg.tiles && cfg.tiles.coord === "gcj02" ? "gcj02" : "wgs84"; }
  function toMap(cfg, lng, lat) { return mapCoord(cfg) === "gcj02" ? gcj02(lng, lat) : [lng, lat]; }

  // Axis ranges around the points that keep a kilometre as long east-west as north-south on screen.
  function extent(el, points, centre, minSpan) {
    var xs = points.map(function (p) { return p[0]; }), ys = points.map(function (p) { return p[1]; });
    if (!xs.length) { xs = [centre[0]]; ys = [centre[1]]; }
    var x0 = Math.min.apply(null, xs), x1 = Math.max.apply(null, xs), y0 = Math.min.apply(null, ys), y1 = Math.max.apply(null, ys);
    var cx = (x0 + x1) / 2, cy = (y0 + y1) / 2, k = Math.cos(cy * Math.PI / 180);
    var w = Math.max((x1 - x0) * k, minSpan) * 1.15, h = Math.max(y1 - y0, minSpan) * 1.15;
    var ratio = (el.clientWidth || 600) / (el.clientHeight || 400);
    if (w / h < ratio) w = h * ratio; else h = w / ratio;
    return { xmin: cx - w / 2 / k, xmax: cx + w / 2 / k, ymin: cy - h / 2, ymax: cy + h / 2 };
  }

  function baseOption(ext, series) {
    var axis = function (min, max) {
      var digits = max - min < 0.05 ? 3 : 2;
      return { type: "value", min: min, max: max, scale: true, axisLabel: { fontSize: 10, color: "#999", formatter: function (v) { return v.toFixed(digits); } },
        splitLine: { lineStyle: { color: "#eee" } }, axisLine: { show: false }, axisTick: { show: false } };
    };
    return {
      animation: false,
      grid: { left: 44, right: 10, top: 10, bottom: 24 },
      xAxis: axis(ext.xmin, ext.xmax),
      yAxis: axis(ext.ymin, ext.ymax),
      dataZoom: [{ type: "inside", xAxisIndex: 0, filterMode: "none" }, { type: "inside", yAxisIndex: 0, filterMode: "none" }],
      tooltip: { trigger: "item", formatter: function (p) { return p.data && p.data.tip ? p.data.tip : p.seriesName; } },
      series: series
    };
  }

  function districtSeries(cfg) {
    return {
      type: "scatter", name: "districts", silent: true, symbolSize: 5, z: 1,
      itemStyle: { color: "#bbb" },
      label: { show: true, position: "right", color: "#999", fontSize: 11, formatter: function (p) { return p.data.name; } },
      data: (cfg.districts || []).map(function (d) { return { name: d.name, value: toMap(cfg, d.lng, d.lat) }; })
    };
  }

  // Tiles underneath, when a deployment has a tile server: Web Mercator tiles placed by their corners.
  function drawTiles(chart, cfg) {
    if (!cfg.tiles) return;
    var update = function () {
      var zoom = chart.getModel().getComponent("xAxis", 0).axis.scale.getExtent();
      var yz = chart.getModel().getComponent("yAxis", 0).axis.scale.getExtent();
      var width = chart.getWidth(), lngSpan = zoom[1] - zoom[0];
      var z = Math.max(3, Math.min(18, Math.round(Math.log2(360 * width / 256 / lngSpan))));
      var n = Math.pow(2, z);
      var tx = function (lng) { return Math.floor((lng + 180) / 360 * n); };
      var ty = function (lat) { var r = lat * Math.PI / 180; return Math.floor((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2 * n); };
      var lngOf = function (t) { return t / n * 360 - 180; };
      var latOf = function (t) { var m = Math.PI - 2 * Math.PI * t / n; return 180 / Math.PI * Math.atan(0.5 * (Math.exp(m) - Math.exp(-m))); };
      var images = [];
      for (var i = tx(zoom[0]); i <= tx(zoom[1]) && images.length < 200; i++) {
        for (var j = ty(yz[1]); j <= ty(yz[0]) && images.length < 200; j++) {
          var a = chart.convertToPixel({ gridIndex: 0 }, [lngOf(i), latOf(j)]), b = chart.convertToPixel({ gridIndex: 0 }, [lngOf(i + 1), latOf(j + 1)]);
          images.push({ type: "image", z: -10, silent: true, style: { image: cfg.tiles.url.replace("{z}", z).replace("{x}", i).replace("{y}", j).replace("{s}", "a"), x: a[0], y: a[1], width: b[0] - a[0], height: b[1] - a[1] } });
        }
      }
      chart.setOption({ graphic: [{ type: "group", id: "tiles", children: images }] }, { replaceMerge: ["graphic"] });
    };
    chart.on("datazoom", update);
    chart.on("finished", function once() { chart.off("finished", once); update(); });
  }

  function newChart(el) {
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  }

  // ---- the registry map (console) and a point's map -----------------------------------------------------------

  function registryMap(el, cfg) {
    var chart = newChart(el), groups = {}, all = [];
    (cfg.compact || []).forEach(function (row) {
      var kind = cfg.kind_order[row[2]], at = toMap(cfg, row[0], row[1]);
      (groups[kind] = groups[kind] || []).push([at[0], at[1], row[3]]);
      all.push(at);
    });
    var series = [districtSeries(cfg)];
    Object.keys(groups).forEach(function (kind) {
      series.push({ type: "scatter", name: cfg.kinds[kind], large: groups[kind].length > 2000, symbolSize: 4,
        itemStyle: { color: COLOURS[kind] || "#333", opacity: 0.75 }, data: groups[kind] });
    });
    var option = baseOption(extent(el, all, toMap(cfg, cfg.centre[0], cfg.centre[1]), 0.05), series);
    option.legend = { top: 0, right: 0, data: Object.keys(groups).map(function (k) { return cfg.kinds[k]; }) };
    option.tooltip = { trigger: "item", formatter: function (p) { return p.seriesName; } };
    chart.setOption(option);
    chart.on("click", function (p) {
      if (p.data && p.data[2] && cfg.point_url) window.location.href = cfg.point_url.replace("{id}", p.data[2]);
    });
    drawTiles(chart, cfg);
  }

  function pointsMap(el, cfg) {
    var chart = newChart(el);
    var data = (cfg.points || []).map(function (p) {
      return { name: p.name, tip: p.name, value: toMap(cfg, p.lng, p.lat), itemStyle: { color: COLOURS[p.kind] || "#c62828" } };
    });
    var series = [districtSeries(cfg), { type: "scatter", name: "points", symbol: "pin", symbolSize: 28, data: data,
      label: { show: true, position: "top", formatter: function (p) { return p.data.name; } } }];
    chart.setOption(baseOption(extent(el, data.map(function (d) { return d.value; }), toMap(cfg, cfg.centre[0], cfg.centre[1]), 0.03), series));
    drawTiles(chart, cfg);
  }

  // ---- the finder ------------------------------------------------------------------------------------------------

  function finder(el, cfg) {
    var chart = newChart(el);
    var form = document.getElementById("finder-form");
    var list = document.getElementById("finder-list");
    var status = document.getElementById("finder-status");
    var L = cfg.labels, coord = mapCoord(cfg);
    var origin = cfg.origin ? toMap(cfg, cfg.origin.lng, cfg.origin.lat) : null;
    var items = [];

    function draw() {
      var results = items.map(function (it, i) {
        return { name: String(i + 1), tip: it.name + " · " + Math.round(it.minutes) + " " + L.minutes, value: [it.location.lng, it.location.lat], id: it.id,
          itemStyle: { color: COLOURS[it.kind] || "#c62828" } };
      });
      var series = [districtSeries(cfg),
        { type: "scatter", name: "results", symbol: "pin", symbolSize: 30, z: 3, data: results,
          label: { show: true, color: "#fff", fontSize: 11, formatter: function (p) { return p.data.name; } } }];
      if (origin) {
        series.push({ type: "scatter", name: L.you, symbolSize: 16, z: 4, data: [{ value: origin, tip: L.you }],
          itemStyle: { color: "#ff6f00", borderColor: "#fff", borderWidth: 3, shadowBlur: 4, shadowColor: "rgba(0,0,0,.4)" },
          label: { show: true, position: "bottom", color: "#e65100", fontSize: 11, formatter: L.you } });
      }
      var pts = results.map(function (r) { return r.value; });
      if (origin) pts.push(origin);
      chart.setOption(baseOption(extent(el, pts, toMap(cfg, cfg.centre[0], cfg.centre[1]), origin ? 0.01 : 0.6), series), true);
    }

    function fmtDistance(m) { return m < 1000 ? Math.round(m) + " " + L.metres : (m / 1000).toFixed(1) + " " + L.km; }

    function render() {
      list.textContent = "";
      if (!items.length) {
        var none = document.createElement("li"); none.className = "muted"; none.textContent = L.none; list.appendChild(none);
      }
      items.forEach(function (it) {
        var li = document.createElement("li"); li.className = "finder-item"; li.dataset.pointId = it.id;
        var a = document.createElement("a"); a.className = "finder-name"; a.href = it.url; a.textContent = it.name; li.appendChild(a);
        var tag = document.createElement("span"); tag.className = "tag"; tag.textContent = it.kind_label; li.appendChild(tag);
        var time = document.createElement("span"); time.className = "finder-time";
        time.textContent = Math.round(it.minutes) + " " + L.minutes + " · " + fmtDistance(it.distance_m); li.appendChild(time);
        var open = document.createElement("span");
        if (it.at_stop) { open.className = "finder-open"; open.textContent = L.at_stop + " " + it.at_stop.site; }
        else if (it.open_now === true) { open.className = "finder-open"; open.textContent = L.open; }
        else if (it.open_now === false) { open.className = "muted"; open.textContent = L.closed; }
        else { open.className = "muted"; open.textContent = L.unknown; }
        li.appendChild(open);
        if (it.address) { var addr = document.createElement("span"); addr.className = "muted finder-address"; addr.textContent = it.address; li.appendChild(addr); }
        list.appendChild(li);
      });
      showRatings();
    }

    // Members' average stars beside each result, when an app provides them (one request for the whole list).
    function showRatings() {
      if (!cfg.rating_api || !items.length) return;
      var params = new URLSearchParams();
      items.forEach(function (it) { params.append("point_id", it.id); });
      fetch(cfg.rating_api + "?" + params.toString(), { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (rows) {
          rows.forEach(function (row) {
            if (!row.count) return;
            var li = list.querySelector('.finder-item[data-point-id="' + row.point_id + '"]');
            if (!li || li.querySelector(".finder-rating")) return;
            var stars = document.createElement("span"); stars.className = "finder-rating";
            stars.textContent = Number(row.average).toFixed(1) + " ★ (" + row.count + ")";
            li.insertBefore(stars, li.querySelector(".finder-time"));
          });
        });
    }

    function search(lng, lat, inCoord, note) {
      var params = new URLSearchParams();
      ["kind", "facility", "mode"].forEach(function (name) { var f = form.elements[name]; if (f && f.value) params.append(name, f.value); });
      if (form.elements.open_now && form.elements.open_now.checked) params.append("open_now", "true");
      params.append("lng", lng.toFixed(6)); params.append("lat", lat.toFixed(6)); params.append("coord", inCoord);
      form.elements.lng.value = lng.toFixed(6); form.elements.lat.value = lat.toFixed(6); form.elements.coord.value = inCoord;
      origin = [lng, lat];
      return fetch(cfg.api + "?" + params.toString(), { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (body) {
          items = body.items || [];
          render(); draw();
          if (note) status.textContent = note;
          el.dataset.ready = "1";
        });
    }

    function locate() {
      if (!navigator.geolocation) { status.textContent = L.denied; return; }
      status.textContent = L.locating;
      navigator.geolocation.getCurrentPosition(function (pos) {
        var at = toMap(cfg, pos.coords.longitude, pos.coords.latitude);
        search(at[0], at[1], coord, "");
        status.textContent = "";
      }, function () { status.textContent = L.denied; }, { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
    }

    document.getElementById("locate").addEventListener("click", locate);
    form.addEventListener("submit", function (ev) {
      if (!origin) return; // no position yet: the server answers the plain form
      ev.preventDefault();
      search(origin[0], origin[1], coord, "");
    });
    chart.getZr().on("click", function (ev) {
      var at = chart.convertFromPixel({ gridIndex: 0 }, [ev.offsetX, ev.offsetY]);
      if (!at || ev.target) return; // a click on a marker opens it instead
      search(at[0], at[1], coord, L.picked);
    });
    chart.on("click", function (p) {
      if (p.seriesName === "results" && p.data && p.data.id) window.location.href = cfg.point_url.replace("{id}", p.data.id);
    });
    draw();
    drawTiles(chart, cfg);
    if (cfg.origin) {
      search(origin[0], origin[1], coord, "");
    } else if (navigator.permissions && navigator.permissions.query) {
      // Ask for the position at once only when the worker has already allowed it.
      navigator.permissions.query({ name: "geolocation" }).then(function (p) { if (p.state === "granted") locate(); }, function () {});
    }
  }

  function init() {
    if (!window.echarts) return;
    document.querySelectorAll("[data-net-map]").forEach(function (el) {
      if (el.dataset.bound) return;
      el.dataset.bound = "1";
      var cfg = config(el), kind = el.dataset.netMap;
      if (kind === "finder") finder(el, cfg);
      else if (kind === "registry") registryMap(el, cfg);
      else pointsMap(el, cfg);
    });
  }

  document.addEventListener("DOMContentLoaded", init);
})();
