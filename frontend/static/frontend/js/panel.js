// Side-panel tabs and the feature panel: a clicked feature's attributes, its funding and a
// link to its page. Everything from data is written with textContent.
import { clear, el, getJSON } from "./dom.js";
import { formatArea, formatEuro, formatNumber, formatYear, label, t } from "./i18n.js";
import { legendItemOf } from "./style.js";

/** Accessible tabs: click or arrow keys move between the tabs of ``tablist``; ``onOpen``
 *  maps a panel id to a function called when that panel is shown. */
export function initTabs(tablist, onOpen = {}) {
  const tabs = [...tablist.querySelectorAll("[role=tab]")];
  const select = (tab) => {
    for (const other of tabs) {
      const selected = other === tab;
      other.setAttribute("aria-selected", String(selected));
      other.tabIndex = selected ? 0 : -1;
      document.getElementById(other.getAttribute("aria-controls")).hidden = !selected;
    }
    onOpen[tab.getAttribute("aria-controls")]?.();
  };
  tabs.forEach((tab, i) => {
    tab.addEventListener("click", () => select(tab));
    tab.addEventListener("keydown", (event) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (!step) return;
      const next = tabs[(i + step + tabs.length) % tabs.length];
      select(next);
      next.focus();
    });
  });
}

const YEAR = /^anno(_|$)/;
const AREA = /_m2$/;
const EURO = /^(costo_|contributo_|importo)/;

/** A value as people read it: codes as words, years, areas and amounts formatted. */
export function formatValue(value, labels = {}, name = "") {
  if (Array.isArray(value)) return value.map((v) => labels[v] ?? v).join(", ");
  if (typeof value === "number" || (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value) && !labels[value])) {
    const n = Number(value);
    if (YEAR.test(name)) return formatYear(n);
    if (AREA.test(name)) return formatArea(n);
    if (EURO.test(name)) return formatEuro(n);
  }
  if (typeof value === "string" && labels[value]) return labels[value];
  if (typeof value === "boolean") return value ? t("yes") : t("no");
  if (typeof value === "number") return formatNumber(value);
  return String(value);
}

function fundingTable(items) {
  const total = items.reduce((sum, f) => sum + Number(f.importo || 0), 0);
  return el("table", { className: "table table-sm funding-table" },
    el("caption", { text: t("funding") }),
    el("tbody", {}, items.map((f) => el("tr", {},
      el("th", { scope: "row", text: f.fonte_label || f.fonte || "" }),
      el("td", { className: "text-end", text: formatEuro(Number(f.importo || 0)) })))),
    el("tfoot", {}, el("tr", {}, el("th", { scope: "row", text: t("total") }),
      el("td", { className: "text-end", text: formatEuro(total) }))));
}

function featureName(entry, feature) {
  const props = feature.properties || {};
  return String(props.title ?? props.name ?? label(entry.title));
}

export class FeaturePanel {
  /** ``valueLabels``: {field name: {code: label}} to show codes (stato, tipo…) as words. */
  constructor(panel, { interventoApi, valueLabels = {} }) {
    this.valueLabels = valueLabels;
    this.panel = panel;
    this.title = panel.querySelector("#feature-title");
    this.body = panel.querySelector("#feature-body");
    this.interventoApi = interventoApi;
    this.token = 0;
    panel.querySelector("#feature-close").addEventListener("click", () => this.close());
    panel.addEventListener("keydown", (event) => { if (event.key === "Escape") this.close(); });
  }

  close() {
    this.panel.hidden = true;
    this.panel.dataset.layer = "";
  }

  /** Show the first of ``hits`` (the pick, most precise first) and offer the others. */
  showHits(hits, onChoose) {
    if (!hits.length) return;
    this.show(hits[0].entry, hits[0].feature);
    if (hits.length < 2) return;
    const others = el("nav", { className: "pick-others", "aria-label": t("alsoHere") },
      el("h3", { className: "h6", text: `${t("alsoHere")} (${hits.length - 1})` }),
      el("ul", {}, hits.slice(1).map((hit, i) => el("li", {}, el("button", {
        type: "button", className: "btn btn-link btn-sm pick-other",
        dataset: { layer: hit.entry.id, id: String(hit.feature.id ?? "") },
        onclick: () => onChoose([hits[i + 1], ...hits.filter((_, j) => j !== i + 1)]),
      }, el("span", { className: "swatch", "aria-hidden": "true", style: `background:${legendItemOf(hit.entry, hit.feature.properties || {})?.color || "#888"}` }),
      `${featureName(hit.entry, hit.feature)} · ${label(hit.entry.title)}`)))));
    this.body.append(others);
  }

  /** Show ``feature`` of the catalogue ``entry``. */
  show(entry, feature) {
    const token = ++this.token;
    const props = feature.properties || {};
    this.title.textContent = featureName(entry, feature);
    clear(this.body);
    this.body.append(el("p", { className: "feature-layer", text: label(entry.title) }));
    if (props.is_sample === true || entry.is_sample) {
      this.body.append(el("span", { className: "badge sample-badge", text: t("sample") }));
    }
    const rows = entry.fields
      .filter((f) => f.name !== "is_sample" && props[f.name] != null && props[f.name] !== "" && !(Array.isArray(props[f.name]) && !props[f.name].length))
      .map((f) => [el("dt", { text: label(f.label) }), el("dd", { dataset: { field: f.name }, text: formatValue(props[f.name], this.valueLabels[f.name], f.name) })]);
    this.body.append(el("dl", { className: "feature-attributes" }, rows));
    const detail = entry.links.detail_page;
    if (detail && feature.id != null) {
      this.body.append(el("a", { className: "btn btn-primary btn-sm feature-link", href: detail.replace("{id}", encodeURIComponent(feature.id)), text: t("openDetail") }));
    }
    this.panel.dataset.layer = entry.id;
    this.panel.dataset.featureId = String(feature.id ?? "");
    this.panel.hidden = false;
    this.panel.focus();
    if (entry.id === "interventi" && this.interventoApi && feature.id != null) this.loadFunding(feature.id, token);
  }

  /** Show a search hit: its name, layer and page link (keyboard users reach records here). */
  showHit(hit) {
    ++this.token;
    this.title.textContent = hit.name;
    clear(this.body);
    this.body.append(el("p", { className: "feature-layer", text: label(hit.layer_title) }));
    if (hit.url) this.body.append(el("a", { className: "btn btn-primary btn-sm feature-link", href: hit.url, text: t("openDetail") }));
    this.panel.dataset.layer = hit.layer;
    this.panel.dataset.featureId = String(hit.id ?? "");
    this.panel.hidden = false;
    this.panel.focus();
  }

  async loadFunding(id, token) {
    const data = await getJSON(`${this.interventoApi}${encodeURIComponent(id)}/`);
    if (!data || token !== this.token) return;
    const items = data.finanziamenti || data.properties?.finanziamenti || [];
    if (items.length) this.body.insertBefore(fundingTable(items), this.body.querySelector(".feature-link"));
  }
}
