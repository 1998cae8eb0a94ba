/* global Chart */
/**
 * Draws the tourist reports' charts on the admin dashboard with Chart.js from the JSON data island
 * <script type="application/json" id="reports-data">: reports per month stacked by category, and per
 * month resolved against overdue. Each chart box is followed by the table with the same numbers.
 */
(function () {
  "use strict";
  const island = document.getElementById("reports-data");
  if (!island || typeof Chart === "undefined") return;
  let data;
  try {
    data = JSON.parse(island.textContent || "{}");
  } catch {
    return;
  }
  const colours = ["#0b4f3c", "#b5651d", "#1f5f99", "#7a3e9d", "#a61b29", "#3d7d2a", "#666666"];
  const reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function draw(box, datasets, labels, stacked) {
    const canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", box.getAttribute("data-label") || "Biểu đồ");
    box.appendChild(canvas);
    box.hidden = false;
    new Chart(canvas, {
      type: "bar",
      data: { labels: labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: reduceMotion ? false : undefined,
        scales: {
          x: { stacked: stacked },
          y: { stacked: stacked, beginAtZero: true, ticks: { precision: 0 } },
        },
      },
    });
  }

  for (const box of document.querySelectorAll("[data-reports-chart]")) {
    const key = box.getAttribute("data-reports-chart");
    const d = data[key];
    if (!d || !Array.isArray(d.labels) || d.labels.length === 0) continue;
    if (key === "perMonth")
      draw(
        box,
        d.series.map(function (s, i) {
          return { label: s.label, data: s.values, backgroundColor: colours[i % colours.length] };
        }),
        d.labels,
        true,
      );
    else if (key === "resolved")
      draw(
        box,
        [
          { label: "Đã giải quyết", data: d.values, backgroundColor: colours[0] },
          { label: "Quá hạn", data: d.overdue, backgroundColor: colours[4] },
        ],
        d.labels,
        false,
      );
  }
})();
