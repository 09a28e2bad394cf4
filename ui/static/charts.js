// Draws the page's charts with the ECharts bundle that this script's tag
// names (data-bundle): each element with data-echarts carries its options,
// built on the server, and the reader's number separators (data-thousands,
// data-decimal). Values on the axes, in tooltips and on the bars are
// written with them (Spanish 1.234,56; English 1,234.56), as the server
// writes every other number.
//
// A phone's processor is the limit, so the page is shown first: the bundle
// is loaded when the first chart comes near the screen, a chart is drawn
// only when it does, one chart per task, and without the entry animation.
(function () {
  "use strict";
  var bundle = document.currentScript.getAttribute("data-bundle"), loaded = false, loading = false;

  // numberFormat is the writer of numbers of a chart's element: whole
  // numbers without decimals, others with two, thousands always grouped.
  function numberFormat(el) {
    var thousands = el.getAttribute("data-thousands") || ",", point = el.getAttribute("data-decimal") || ".";
    return function (v) {
      if (typeof v !== "number" || !isFinite(v)) return v;
      var parts = Math.abs(v).toFixed(Math.round(v) === v ? 0 : 2).split(".");
      parts[0] = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, thousands);
      return (v < 0 ? "-" : "") + parts.join(point);
    };
  }

  function labelled(axes, number) {
    [].concat(axes || []).forEach(function (axis) {
      if (!axis.data) axis.axisLabel = Object.assign({}, axis.axisLabel, { formatter: number });
    });
  }

  var charts = [];
  function draw(el) {
    var option = JSON.parse(el.getAttribute("data-echarts")), number = numberFormat(el);
    labelled(option.xAxis, number);
    labelled(option.yAxis, number);
    option.animation = false;
    option.tooltip = Object.assign({}, option.tooltip, { valueFormatter: number });
    (option.series || []).forEach(function (s) {
      if (s.label) s.label.formatter = function (p) { return number(p.value); };
    });
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option);
    charts.push(chart);
  }

  var queue = [], busy = false;
  function next() {
    var el = queue.shift();
    busy = !!el;
    if (el) {
      draw(el);
      setTimeout(next, 0);
    }
  }
  function later(el) {
    queue.push(el);
    if (!loaded) {
      if (!loading) {
        loading = true;
        var script = document.createElement("script");
        script.src = bundle;
        script.onload = function () {
          loaded = true;
          busy = true;
          next();
        };
        document.head.appendChild(script);
      }
    } else if (!busy) {
      busy = true;
      setTimeout(next, 0);
    }
  }

  var elements = document.querySelectorAll("[data-echarts]");
  if ("IntersectionObserver" in window) {
    var seen = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          seen.unobserve(entry.target);
          later(entry.target);
        }
      });
    }, { rootMargin: "200px 0px" });
    elements.forEach(function (el) { seen.observe(el); });
  } else {
    elements.forEach(later);
  }

  // Charts follow the width of the screen (a phone turned, a window resized).
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
