/* global Chart */
/**
 * Draws the dashboard's charts with Chart.js (loaded before this file) from the JSON data island
 * <script type="application/json" id="stats-data">. Each chart is a <div class="chart-box"
 * data-chart="<key>" data-label="..." hidden> followed by the table with the same numbers, which stays the
 * text alternative; without JavaScript (or Chart.js) the boxes stay hidden and the tables are all there is.
 */
(function () {
  "use strict";

  const island = document.getElementById("stats-data");
  if (!island || typeof Chart === "undefined") return;
  let data;
  try {
    data = JSON.parse(island.textContent || "{}");
  } catch {
    return;
  }

  const brand = "#0b4f3c";
  const reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  /** Chart settings per data key: per day as columns, per channel as horizontal bars. */
  const kinds = {
    perDay: { indexAxis: "x" },
    perChannel: { indexAxis: "y" },
  };

  for (const box of document.querySelectorAll("[data-chart]")) {
    const key = box.getAttribute("data-chart");
    const series = data[key];
    const kind = kinds[key];
    if (!series || !kind || !Array.isArray(series.labels) || series.labels.length === 0) continue;

    const canvas = document.createElement("canvas");
    // The canvas is a picture of the table that follows; screen readers get a label and the table.
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", box.getAttribute("data-label") || "Biểu đồ");
    box.appendChild(canvas);
    box.hidden = false;

    new Chart(canvas, {
      type: "bar",
      data: {
        labels: series.labels,
        datasets: [{ label: "Số câu hỏi", data: series.values, backgroundColor: brand }],
      },
      options: {
        indexAxis: kind.indexAxis,
        responsive: true,
        maintainAspectRatio: false,
        animation: reduceMotion ? false : undefined,
        plugins: { legend: { display: false } },
        scales: {
          [kind.indexAxis === "x" ? "y" : "x"]: { beginAtZero: true, ticks: { precision: 0 } },
        },
      },
    });
  }
})();
