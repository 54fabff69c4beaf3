/* Draws the server-built Plotly figures: <div data-chart="ID"> reads <script type="application/json" id="ID">. */
(function () {
  "use strict";
  function draw() {
    if (typeof window.Plotly === "undefined") { return; }
    var lang = document.documentElement.lang || "fi";
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-chart"));
      if (!source) { return; }
      var figure = JSON.parse(source.textContent);
      // Plotly never wraps a legend entry: on a phone a long one ("Agents to schedule (with shrinkage)"
      // in Finnish) ran off the chart. Break it at the space nearest its middle.
      if (el.clientWidth < 600) {
        figure.data.forEach(function (trace) {
          if (trace.name && trace.name.length > 32 && trace.name.indexOf("<br>") < 0) {
            var middle = trace.name.length / 2, cut = -1;
            for (var i = 0; i < trace.name.length; i++) {
              if (trace.name[i] === " " && (cut < 0 || Math.abs(i - middle) < Math.abs(cut - middle))) { cut = i; }
            }
            if (cut > 0) { trace.name = trace.name.slice(0, cut) + "<br>" + trace.name.slice(cut + 1); }
          }
        });
      }
      window.Plotly.newPlot(el, figure.data, figure.layout, {
        responsive: true,
        displayModeBar: false,
        locale: lang
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
