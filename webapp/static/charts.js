/* Charts of the pages, drawn with Chart.js from JSON the server embeds in
   <script type="application/json"> blocks (the same bodies the API serves).
   The milestone page's controls re-fetch the API's distribution and history and redraw. */
(function () {
  "use strict";

  var PALETTE = ["#2657c5", "#d1495b", "#0f8b7d", "#e09f3e", "#7b4fb8", "#5c6b73", "#c2571a", "#3a9d3f"];
  var INK = "#1d2330", MUTED = "#5f6b7a", GRID = "#e3e7ec";
  var BAND = "rgba(120, 156, 232, 0.35)", BOUNDS = "rgba(170, 180, 195, 0.35)";
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  function readJSON(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function yearLabel(t) {
    if (t === null || t === undefined || !isFinite(t)) return "—";
    if (t > 2999) return "after 3000";
    // The same calendar reading as the engine's words (forecasts.engine.model.month_label): the fraction
    // of the year counts days, so 2031.0835 is 31 Jan 2031, "Jan 2031".
    var year = Math.floor(t);
    var start = Date.UTC(year, 0, 1);
    var length = (Date.UTC(year + 1, 0, 1) - start) / 86400000;
    var day = Math.min(length - 1, Math.floor((t - year) * length + 1e-6));
    return MONTHS[new Date(start + day * 86400000).getUTCMonth()] + " " + year;
  }

  function year(t) {
    if (t === null || t === undefined) return "—";
    return t > 2999 ? "after 3000" : String(Math.floor(t));
  }

  function pct(p) {
    if (p === null || p === undefined) return "—";
    var v = 100 * p;
    if (v > 0 && v < 1) return "<1%";
    if (v > 99 && v < 100) return ">99%";
    return Math.round(v) + "%";
  }

  function niceRange(rows, key) {
    // From where any curve leaves zero to where the main curve levels off (as webapp/svg.py does).
    var top = 0, start = null, end = null;
    rows.forEach(function (r) { top = Math.max(top, r[key] || 0); });
    rows.forEach(function (r) {
      if (start === null && ((r[key] || 0) > 0.002 || (r.high || 0) > 0.002)) start = r.t;
      if (end === null && top > 0 && (r[key] || 0) >= 0.97 * top) end = r.t;
    });
    var low = Math.max(1950, Math.floor(((start === null ? 2000 : start) - 3) / 5) * 5);
    var high = Math.min(2200, Math.max(low + 25, Math.ceil(((end === null ? 2100 : end) + 5) / 10) * 10));
    return [low, high];
  }

  function mergedRows(body) {
    return body.cdf.map(function (r, i) {
      // The bounds band is left out: words like "by 2030" allow arrival at any earlier time.
      var b = body.band[i] || {};
      return { t: r.t, p: r.p, high: b.high || 0 };
    });
  }

  // A 0-100% axis for CDF charts, with an optional title.
  function probabilityAxis(title) {
    var axis = {
      min: 0, max: 1, grid: { color: GRID },
      ticks: { color: MUTED, callback: function (v) { return Math.round(100 * v) + "%"; } }
    };
    if (title) axis.title = { display: true, text: title, color: MUTED };
    return axis;
  }

  // Datasets whose label starts with "_" are drawing aids, kept out of legends and tooltips.
  function isShown(item) { return item.dataset.label.charAt(0) !== "_"; }

  function byYearTitle(items) { return items.length ? "By " + yearLabel(items[0].parsed.x) : ""; }

  function baseOptions(xmin, xmax) {
    return {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: "index", intersect: false },
      plugins: {
        legend: {
          position: "bottom",
          labels: {
            boxWidth: 14, boxHeight: 10, color: INK,
            filter: function (item) { return item.text.charAt(0) !== "_"; }
          }
        }
      },
      scales: {
        x: {
          type: "linear", min: xmin, max: xmax,
          grid: { color: GRID },
          ticks: { color: MUTED, maxTicksLimit: 9, callback: function (v) { return String(Math.round(v)); } }
        }
      }
    };
  }

  function xy(rows, key) {
    return rows.map(function (r) { return { x: r.t, y: r[key] }; });
  }

  function density(cdf) {
    var out = [];
    for (var i = 0; i + 1 < cdf.length; i++) {
      var a = cdf[i], b = cdf[i + 1];
      if (a.p === null || b.p === null || b.t <= a.t) continue;
      out.push({ x: (a.t + b.t) / 2, y: Math.max(0, (b.p - a.p) / (b.t - a.t)) });
    }
    return out;
  }

  // --- the milestone aggregate ------------------------------------------------------------

  function distributionConfig(body, view) {
    var range = niceRange(mergedRows(body), "p");
    var options = baseOptions(range[0], range[1]);
    var datasets;
    if (view === "pdf") {
      datasets = [{
        label: "Pooled forecast: probability of arriving in each year",
        data: density(body.cdf), borderColor: PALETTE[0], backgroundColor: "rgba(38, 87, 197, 0.15)",
        fill: "origin", borderWidth: 2, pointRadius: 0, tension: 0.2
      }];
      options.scales.y = {
        min: 0, grid: { color: GRID },
        title: { display: true, text: "probability per year", color: MUTED },
        ticks: { color: MUTED, callback: function (v) { return (100 * v).toFixed(1) + "%"; } }
      };
      options.plugins.tooltip = {
        callbacks: {
          title: function (items) { return items.length ? yearLabel(items[0].parsed.x) : ""; },
          label: function (item) { return "Density: " + (100 * item.parsed.y).toFixed(2) + "% per year"; }
        }
      };
    } else {
      datasets = [
        { label: "Bounds the claims' words imply", data: xy(body.bounds, "high"), fill: "+1",
          backgroundColor: BOUNDS, borderColor: "rgba(150, 160, 175, 0.8)", borderWidth: 1, borderDash: [4, 3],
          pointRadius: 0 },
        { label: "_bounds_low", data: xy(body.bounds, "low"), fill: false, borderColor: "rgba(150, 160, 175, 0.8)",
          borderWidth: 1, borderDash: [4, 3], pointRadius: 0 },
        { label: "Middle half (25–75%) of individual views", data: xy(body.band, "high"), fill: "+1",
          backgroundColor: BAND, borderWidth: 0, pointRadius: 0 },
        { label: "_band_low", data: xy(body.band, "low"), fill: false, borderWidth: 0, pointRadius: 0 },
        { label: "Pooled forecast", data: xy(body.cdf, "p"), borderColor: PALETTE[0], backgroundColor: PALETTE[0],
          borderWidth: 2.5, pointRadius: 0, pointHoverRadius: 4, fill: false }
      ];
      options.scales.y = probabilityAxis("probability it has arrived");
      options.plugins.tooltip = {
        filter: isShown,
        callbacks: {
          title: byYearTitle,
          label: function (item) {
            var i = item.dataIndex;
            if (item.datasetIndex === 4) return "Pooled: " + pct(item.parsed.y);
            if (item.datasetIndex === 2) return "Middle half of views: " + pct(body.band[i].low) + "–" + pct(body.band[i].high);
            return "Words allow: " + pct(body.bounds[i].low) + "–" + pct(body.bounds[i].high);
          }
        }
      };
    }
    return { type: "line", data: { datasets: datasets }, options: options };
  }

  function historyConfig(body) {
    var rows = body.months.map(function (m) {
      var parts = m.as_of.split("-");
      return { x: +parts[0] + (+parts[1] - 1) / 12, q: m.quantiles, n: m.n_claims, date: m.as_of };
    }).filter(function (r) { return r.q["0.5"] !== null; });
    var cap = function (v) { return v === null ? null : Math.min(v, 2200); };
    var options = baseOptions(rows.length ? Math.floor(rows[0].x) : 2015,
                              rows.length ? Math.ceil(rows[rows.length - 1].x + 0.01) : 2026);
    options.scales.y = {
      grid: { color: GRID }, title: { display: true, text: "arrival year", color: MUTED },
      ticks: { color: MUTED, callback: function (v) { return String(Math.round(v)); } }
    };
    options.plugins.tooltip = {
      filter: isShown,
      callbacks: {
        title: function (items) { return items.length ? "As of " + rows[items[0].dataIndex].date : ""; },
        label: function (item) {
          var r = rows[item.dataIndex];
          if (item.datasetIndex === 2) return "Median: " + yearLabel(r.q["0.5"]) + " (" + r.n + " claims)";
          return "80% interval: " + year(r.q["0.1"]) + "–" + year(r.q["0.9"]);
        }
      }
    };
    return {
      type: "line",
      data: {
        datasets: [
          { label: "80% interval", data: rows.map(function (r) { return { x: r.x, y: cap(r.q["0.9"]) }; }),
            fill: "+1", backgroundColor: BAND, borderWidth: 0, pointRadius: 0 },
          { label: "_low", data: rows.map(function (r) { return { x: r.x, y: cap(r.q["0.1"]) }; }),
            fill: false, borderWidth: 0, pointRadius: 0 },
          { label: "Median", data: rows.map(function (r) { return { x: r.x, y: cap(r.q["0.5"]) }; }),
            borderColor: PALETTE[0], backgroundColor: PALETTE[0], borderWidth: 2.5, pointRadius: 0,
            pointHoverRadius: 4, stepped: false }
        ]
      },
      options: options
    };
  }

  // --- a single claim ---------------------------------------------------------------------

  function claimConfig(body) {
    var range = niceRange(body.cdf, "p");
    var options = baseOptions(range[0], range[1]);
    options.scales.y = probabilityAxis();
    options.plugins.tooltip = {
      filter: isShown,
      callbacks: {
        title: byYearTitle,
        label: function (item) {
          var r = body.cdf[item.dataIndex];
          if (item.datasetIndex === 2) return "As read: " + pct(r.p);
          return "Words allow: " + pct(r.low) + "–" + pct(r.high);
        }
      }
    };
    return {
      type: "line",
      data: {
        datasets: [
          { label: "What the words allow", data: xy(body.cdf, "high"), fill: "+1", backgroundColor: BOUNDS,
            borderColor: "rgba(150, 160, 175, 0.8)", borderWidth: 1, borderDash: [4, 3], pointRadius: 0 },
          { label: "_low", data: xy(body.cdf, "low"), fill: false, borderColor: "rgba(150, 160, 175, 0.8)",
            borderWidth: 1, borderDash: [4, 3], pointRadius: 0 },
          { label: "As the engine reads it", data: xy(body.cdf, "p"), borderColor: PALETTE[0],
            backgroundColor: PALETTE[0], borderWidth: 2.5, pointRadius: 0, pointHoverRadius: 4 }
        ]
      },
      options: options
    };
  }

  // --- a speaker's timeline -----------------------------------------------------------------

  var intervals = {
    id: "intervals",
    beforeDatasetsDraw: function (chart) {
      var ctx = chart.ctx, y = chart.scales.y;
      chart.data.datasets.forEach(function (ds, i) {
        var meta = chart.getDatasetMeta(i);
        if (meta.hidden) return;
        ds.data.forEach(function (p, j) {
          var el = meta.data[j];
          if (!el) return;
          ctx.save();
          ctx.strokeStyle = ds.borderColor;
          ctx.lineWidth = 2;
          if (p.low !== null && p.high !== null && !p.never) {
            ctx.globalAlpha = 0.5;
            ctx.beginPath();
            ctx.moveTo(el.x, y.getPixelForValue(p.low));
            ctx.lineTo(el.x, y.getPixelForValue(Math.min(p.high, y.max)));
            ctx.stroke();
          } else if (p.arrow) {
            ctx.beginPath();
            ctx.moveTo(el.x, el.y);
            ctx.lineTo(el.x, el.y + (p.arrow === "up" ? -22 : 22));
            ctx.stroke();
          }
          ctx.restore();
        });
      });
    }
  };

  function timelineConfig(series) {
    var points = [];
    series.forEach(function (s) { points = points.concat(s.points); });
    var xs = points.map(function (p) { return p.x; });
    var ys = [];
    points.forEach(function (p) { [p.y, p.low, p.high].forEach(function (v) { if (v !== null) ys.push(v); }); });
    var x0 = Math.floor(Math.min.apply(null, xs)) - 1, x1 = Math.ceil(Math.max.apply(null, xs)) + 1;
    var y0 = Math.floor(Math.min.apply(null, ys.concat(xs)) / 5) * 5;
    var y1 = ys.length ? Math.min(2150, Math.ceil((Math.max.apply(null, ys) + 2) / 5) * 5) : x0 + 30;
    y1 = Math.max(y1, y0 + 10);
    var hasNever = points.some(function (p) { return p.never; });
    var neverY = y1 + Math.max(2, Math.round((y1 - y0) / 12));
    var datasets = series.map(function (s, i) {
      var colour = PALETTE[i % PALETTE.length];
      return {
        label: s.name,
        data: s.points.map(function (p) {
          return Object.assign({}, p, { y: p.never ? neverY : Math.min(p.y, y1) });
        }),
        borderColor: colour, backgroundColor: colour,
        pointRadius: 6, pointHoverRadius: 8,
        pointStyle: function (ctx) {
          var r = ctx.raw || {};
          return r.never ? "crossRot" : r.arrow ? "triangle" : "circle";
        },
        rotation: function (ctx) { return (ctx.raw || {}).arrow === "down" ? 180 : 0; },
        borderWidth: function (ctx) { return (ctx.raw || {}).never ? 3 : 1; }
      };
    });
    var options = baseOptions(x0, x1);
    options.interaction = { mode: "nearest", intersect: true };
    options.plugins.legend.labels.usePointStyle = true;
    options.scales.x.title = { display: true, text: "when it was said", color: MUTED };
    options.scales.y = {
      min: y0, max: hasNever ? neverY : y1, grid: { color: GRID },
      title: { display: true, text: "arrival year it implies", color: MUTED },
      afterBuildTicks: function (axis) {
        var step = [1, 2, 5, 10, 20, 25, 50, 100].find(function (s) { return (y1 - y0) / s <= 8; }) || 200;
        var ticks = [];
        for (var v = Math.ceil(y0 / step) * step; v <= y1; v += step) ticks.push({ value: v });
        if (hasNever) ticks.push({ value: neverY });
        axis.ticks = ticks;
      },
      ticks: { color: MUTED, callback: function (v) { return hasNever && v === neverY ? "never" : String(v); } }
    };
    options.plugins.tooltip = {
      callbacks: {
        title: function (items) { return items.length ? items[0].dataset.label : ""; },
        label: function (item) {
          var p = item.raw;
          return ["Said " + p.said_on + ": " + p.words, p.explanation];
        }
      }
    };
    return { type: "scatter", data: { datasets: datasets }, options: options, plugins: [intervals] };
  }

  // --- the milestone controls ---------------------------------------------------------------

  var DEFAULTS = { method: "linear", weighting: "latest", conditioned: "true" };

  function formQuery(form) {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (value !== "" && DEFAULTS[key] !== value) params.set(key, value);
    });
    return params;
  }

  function updateFigures(body) {
    var q = body.quantiles;
    var set = function (name, text) {
      var el = document.querySelector('[data-fig="' + name + '"]');
      if (el) el.textContent = text;
    };
    set("median", year(body.median_year));
    set("interval", q["0.1"] === null ? "—" : year(q["0.1"]) + "–" +
        (q["0.9"] !== null ? year(q["0.9"]) : (body.p_never >= 0.1 ? "never" : "later")));
    set("p2030", pct(body.p_by["2030"]));
    set("never", pct(body.p_never));
    set("counts", body.n_claims + " · " + body.n_speakers);
    var note = document.getElementById("conditioned-note");
    if (note && note.firstChild && note.firstChild.nodeType === Node.TEXT_NODE) {
      note.firstChild.textContent = body.conditioned_on
        ? "Conditioned on the milestone not having arrived before " + body.conditioned_on + ": the claims as said put " +
          pct(body.p_before_as_of) + " on arrival before then; that part is ruled out and the rest rescaled. "
        : "The claims as said, not conditioned on what has happened since. ";
    }
    document.querySelectorAll("[data-q]").forEach(function (el) { el.textContent = year(q[el.dataset.q]); });
    document.querySelectorAll("[data-p-by]").forEach(function (el) { el.textContent = pct(body.p_by[el.dataset.pBy]); });
    var weights = {};
    body.claims.forEach(function (c) { weights[c.id] = c.weight; });
    document.querySelectorAll("#weighted-claims .claim").forEach(function (card) {
      var w = weights[card.dataset.claimId], label = card.querySelector("[data-weight]");
      card.classList.toggle("excluded", w === undefined);
      if (label) label.textContent = w === undefined ? "not in this pool" : "weight " + w.toFixed(3);
    });
  }

  function setupMilestone() {
    var canvas = document.getElementById("dist-chart");
    var body = readJSON("dist-data");
    if (!canvas || !body) return;
    var view = "cdf";
    var chart = new Chart(canvas, distributionConfig(body, view));
    var historyCanvas = document.getElementById("history-chart");
    var historyChart = historyCanvas ? new Chart(historyCanvas, historyConfig(readJSON("history-data"))) : null;
    var redraw = function () {
      var config = distributionConfig(body, view);
      chart.data = config.data;
      chart.options = config.options;
      chart.update();
    };
    document.querySelectorAll(".view-toggle .toggle").forEach(function (button) {
      button.addEventListener("click", function () {
        view = button.dataset.view;
        document.querySelectorAll(".view-toggle .toggle").forEach(function (b) {
          b.setAttribute("aria-pressed", String(b === button));
        });
        redraw();
      });
    });
    var form = document.getElementById("pool-controls");
    if (!form) return;
    var seq = 0;
    var refresh = function () {
      var params = formQuery(form);
      var query = params.toString();
      var mine = ++seq;
      history.replaceState(null, "", location.pathname + (query ? "?" + query : ""));
      document.querySelectorAll("a[type='application/json']").forEach(function (a) {
        a.href = form.dataset.api + (query ? "?" + query : "");
      });
      form.classList.add("busy");
      fetch(form.dataset.api + (query ? "?" + query : ""), { headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
        .then(function (fresh) {
          if (mine !== seq) return;
          body = fresh;
          redraw();
          updateFigures(body);
          canvas.dataset.loaded = query;
          form.classList.remove("busy");
        })
        .catch(function () { form.submit(); });
      if (historyChart) {
        var hq = new URLSearchParams(params);
        hq.delete("as_of");
        if (params.get("as_of")) {
          var end = params.get("as_of"), startYear = +end.slice(0, 4) - 10;
          hq.set("start", startYear + end.slice(4, 8) + "01");
          hq.set("end", end);
        }
        var hqs = hq.toString();
        fetch(form.dataset.historyApi + (hqs ? "?" + hqs : ""), { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (h) {
            if (!h || mine !== seq) return;
            var config = historyConfig(h);
            historyChart.data = config.data;
            historyChart.options = config.options;
            historyChart.update();
          });
      }
    };
    form.addEventListener("change", refresh);
    form.addEventListener("submit", function (event) { event.preventDefault(); refresh(); });
  }

  function setup() {
    if (typeof Chart === "undefined") return;
    Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
    Chart.defaults.color = MUTED;
    setupMilestone();
    var claim = readJSON("claim-data");
    if (claim && document.getElementById("claim-chart")) new Chart(document.getElementById("claim-chart"), claimConfig(claim));
    var series = readJSON("timeline-data");
    if (series && series.length && document.getElementById("timeline-chart")) {
      new Chart(document.getElementById("timeline-chart"), timelineConfig(series));
    }
    document.documentElement.classList.add("charts-ready");
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
