// Draws each chart of a dashboard page with Apache ECharts (vendored from npm) from the JSON written
// beside it (json_script). Readable without colour: every series has its own decal pattern (bars) or
// symbol (lines), and values are printed as labels; the table beside each chart holds the same data.
(function () {
  "use strict";
  var SYMBOLS = ["circle", "rect", "triangle", "diamond", "pin", "arrow"];

  function option(spec) {
    var horizontal = spec.type === "hbar";
    var kind = spec.type === "line" ? "line" : "bar";
    var categoryAxis = { type: "category", data: spec.categories, axisLabel: { width: 160, overflow: "truncate" } };
    var valueAxis = { type: "value", name: spec.unit || "" };
    return {
      aria: { enabled: true, decal: { show: true } },
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { show: spec.series.length > 1, top: 0 },
      grid: { left: 8, right: 40, top: 32, bottom: 8, containLabel: true },
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? categoryAxis : valueAxis,
      series: spec.series.map(function (s, i) {
        return {
          name: s.name, type: kind, data: s.data, connectNulls: false,
          symbol: SYMBOLS[i % SYMBOLS.length], symbolSize: 9,
          lineStyle: { type: ["solid", "dashed", "dotted"][i % 3] },
          label: { show: true, position: horizontal ? "right" : "top" }
        };
      })
    };
  }

  function draw() {
    if (typeof window.echarts === "undefined") { return; }
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var source = document.getElementById(element.getAttribute("data-chart"));
      if (!source) { return; }
      var spec = JSON.parse(source.textContent);
      var rows = spec.type === "hbar" ? spec.categories.length : 0;
      element.style.width = "100%";
      element.style.height = Math.max(280, 40 + 28 * rows) + "px";
      var chart = window.echarts.init(element, null, { renderer: "canvas" });
      chart.setOption(option(spec));
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
}());
