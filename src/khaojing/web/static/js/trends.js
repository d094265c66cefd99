// Trends dashboards (issue 7): draws every [data-chart] element with ECharts from the JSON block #trends-data.
// No inline script (CSP): this file is loaded with defer; each chart also has a table view in the page.
(function () {
  "use strict";
  var block = document.getElementById("trends-data");
  if (!block || typeof echarts === "undefined") { return; }
  var data = JSON.parse(block.textContent);
  var font = "Loma, Garuda, 'Noto Sans Thai', sans-serif";
  var palette = ["#1565c0", "#00897b", "#f9a825", "#6a1b9a", "#d84315", "#2e7d32", "#5d4037", "#546e7a"];

  function base() {
    return { color: palette, textStyle: { fontFamily: font }, animationDuration: 400,
             grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
             tooltip: { trigger: "axis", axisPointer: { type: "shadow" } } };
  }

  function stack(series) {
    var o = base();
    o.legend = { top: 0, type: "scroll" };
    o.xAxis = { type: "category", data: data.days };
    o.yAxis = { type: "value", minInterval: 1 };
    o.series = series.map(function (s) {
      return { name: s.name, type: "bar", stack: "all", data: s.values, itemStyle: s.colour ? { color: s.colour } : undefined,
               emphasis: { focus: "series" } };
    });
    if (data.days.length > 45) { o.dataZoom = [{ type: "inside" }]; }
    return o;
  }

  function hbar(items, unit) {
    var o = base();
    var rows = items.slice().reverse();
    o.grid.left = 8;
    o.xAxis = { type: "value" };
    o.yAxis = { type: "category", data: rows.map(function (r) { return r.name; }),
                axisLabel: { width: 340, overflow: "truncate" } };
    o.series = [{ type: "bar", data: rows.map(function (r) { return r.value; }), label: { show: true, position: "right" } }];
    if (rows.length && rows[0].p90 !== undefined) {
      o.legend = { top: 0 };
      o.series[0].name = data.labels.median;
      o.series.push({ name: data.labels.p90, type: "bar", data: rows.map(function (r) { return r.p90; }),
                      label: { show: true, position: "right" } });
    }
    return o;
  }

  function funnel(items) {
    // A log scale, so that 1,000,000 collected and 257 sent to agencies are both readable. ECharts starts a bar on a
    // log axis at 1, so a stage with 1 would draw nothing: every count is drawn ten times over (the axis says the
    // real numbers), a stage with 1 draws a bar one decade long, a stage with none draws no bar, and a longer bar is
    // always a larger count.
    var SCALE = 10;
    var o = hbar(items);
    o.xAxis = { type: "log", logBase: 10, min: 1,
                axisLabel: { showMinLabel: false, formatter: function (v) {
                  return v < SCALE ? "" : Math.round(v / SCALE).toLocaleString(); } } };
    o.series[0].data = items.slice().reverse().map(function (r) { return Math.max(r.value, 0) * SCALE || 1; });
    o.series[0].label.formatter = function (p) { return items[items.length - 1 - p.dataIndex].value.toLocaleString(); };
    o.tooltip = { trigger: "item", formatter: function (p) {
      return p.name + ": " + items[items.length - 1 - p.dataIndex].value.toLocaleString(); } };
    return o;
  }

  var builders = {
    funnel: function () { return funnel(data.funnel); },
    by_channel: function () { return stack(data.by_channel); },
    by_topic: function () { return stack(data.by_topic); },
    by_verdict: function () { return stack(data.by_verdict); },
    top_reports: function () { return hbar(data.top_reports); },
    top_growth: function () { return hbar(data.top_growth); },
    timings: function () { return hbar(data.timings); },
    agency_timings: function () { return hbar(data.agency_timings); }
  };

  var charts = [];
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var make = builders[el.getAttribute("data-chart")];
    var option = make && make();
    var empty = !option || !option.series || option.series.every(function (s) { return !s.data || !s.data.length; });
    if (empty) { el.hidden = true; el.parentNode.querySelector("details").open = true; return; }
    var rows = option.yAxis && option.yAxis.data ? option.yAxis.data.length : 0;
    el.style.height = (el.getAttribute("data-kind") === "stack" ? 320 : Math.max(160, 60 + rows * (option.series.length > 1 ? 40 : 28))) + "px";
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option);
    el.setAttribute("data-ready", "1");
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
