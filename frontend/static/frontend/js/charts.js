// The dashboard: funding by source, interventi by state, opportunity hectares by Zona, from the
// aggregate endpoints, redrawn when the filters change (Chart.js, vendored).
import { clear, el, getJSON } from "./dom.js";
import { interventiParams, opportunitaParams } from "./filters.js";
import { formatEuro, formatNumber, t } from "./i18n.js";

const PALETTE = ["#0066cc", "#d7301f", "#1a9641", "#7b3294", "#e66101", "#008080", "#5d5d5d", "#b8860b", "#2c7fb8"];

// Same colours as the interventi legend.
const STATE_COLOURS = { programmato: "#fdae61", in_corso: "#d7301f", concluso: "#1a9641" };

const CHARTS = [
  { key: "fundingBySource", title: "chartFunding", type: "bar", params: interventiParams,
    data: (rows) => ({ labels: rows.map((r) => r.fonte_label), datasets: [{ label: t("chartFunding"), data: rows.map((r) => r.importo), backgroundColor: PALETTE }] }),
    format: formatEuro },
  { key: "byState", title: "chartState", type: "doughnut", params: interventiParams,
    data: (rows) => ({ labels: rows.map((r) => r.stato_label), datasets: [{ label: t("chartState"), data: rows.map((r) => r.count), backgroundColor: rows.map((r, i) => STATE_COLOURS[r.stato] || PALETTE[i % PALETTE.length]) }] }),
    format: formatNumber },
  { key: "hectares", title: "chartHectares", type: "bar", params: opportunitaParams, query: "group_by=zona",
    data: hectaresByZona, format: formatNumber, stacked: true },
];

function hectaresByZona(rows) {
  const zones = [...new Set(rows.map((r) => r.group?.name ?? ""))];
  const tipi = [...new Map(rows.map((r) => [r.tipo, r.tipo_label])).entries()];
  return {
    labels: zones,
    datasets: tipi.map(([tipo, tipoLabel], i) => ({
      label: tipoLabel,
      backgroundColor: PALETTE[i % PALETTE.length],
      data: zones.map((z) => rows.filter((r) => (r.group?.name ?? "") === z && r.tipo === tipo).reduce((s, r) => s + r.ettari, 0)),
    })),
  };
}

export class Dashboard {
  constructor(container, api) {
    this.container = container;
    this.api = api;
    this.charts = new Map();
    this.token = 0;
    clear(container);
    const available = CHARTS.filter((c) => api[c.key]);
    if (!available.length || typeof Chart !== "function") {
      container.append(el("p", { className: "charts-unavailable", text: t("chartsUnavailable") }));
    }
    for (const spec of available) {
      const canvas = el("canvas", { role: "img", "aria-label": t(spec.title) });
      const figure = el("figure", { className: "chart", dataset: { chart: spec.key } },
        el("figcaption", { text: t(spec.title) }), el("div", { className: "chart-box" }, canvas),
        el("p", { className: "chart-total small", "aria-live": "polite" }));
      container.append(figure);
      this.charts.set(spec.key, { spec, canvas, figure, chart: null });
    }
  }

  /** Fetch every chart's data for ``filters`` and redraw. */
  async update(filters) {
    const token = ++this.token;
    await Promise.all([...this.charts.values()].map(async (item) => {
      const params = item.spec.params(filters);
      const query = [item.spec.query, params.toString()].filter(Boolean).join("&");
      const data = await getJSON(`${this.api[item.spec.key]}${query ? "?" + query : ""}`);
      if (token !== this.token) return;
      this.draw(item, data?.results || []);
    }));
  }

  draw(item, rows) {
    const { spec } = item;
    const data = spec.data(rows);
    const total = rows.reduce((s, r) => s + Number(r.importo ?? r.count ?? r.ettari ?? 0), 0);
    item.figure.dataset.rows = String(rows.length);
    item.figure.dataset.total = String(total);
    item.figure.querySelector(".chart-total").textContent = rows.length ? `${t("total")}: ${spec.format(total)}` : t("noData");
    if (item.chart) {
      item.chart.data = data;
      item.chart.update();
      item.figure.dataset.drawn = "true";
      return;
    }
    item.chart = new Chart(item.canvas, {
      type: spec.type,
      data,
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        plugins: { legend: { display: spec.type === "doughnut" || !!spec.stacked, position: "bottom" } },
        scales: spec.type === "bar" ? { x: { stacked: !!spec.stacked }, y: { stacked: !!spec.stacked, beginAtZero: true } } : {},
      },
    });
    // Drawn (animation is off): what a screenshot waits for (tests/browser.py).
    item.figure.dataset.drawn = "true";
  }
}
