// Side-panel tabs and the feature panel: a clicked feature's attributes, its funding and a
// link to its page. Everything from data is written with textContent.
import { clear, el, getJSON } from "./dom.js";
import { formatEuro, formatNumber, label, t } from "./i18n.js";

/** Accessible tabs: click or arrow keys move between the tabs of ``tablist``. */
export function initTabs(tablist) {
  const tabs = [...tablist.querySelectorAll("[role=tab]")];
  const select = (tab) => {
    for (const other of tabs) {
      const selected = other === tab;
      other.setAttribute("aria-selected", String(selected));
      other.tabIndex = selected ? 0 : -1;
      document.getElementById(other.getAttribute("aria-controls")).hidden = !selected;
    }
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

function formatValue(value, labels = {}) {
  if (Array.isArray(value)) return value.map((v) => labels[v] ?? v).join(", ");
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

  /** Show ``feature`` of the catalogue ``entry``. */
  show(entry, feature) {
    const token = ++this.token;
    const props = feature.properties || {};
    this.title.textContent = String(props.title ?? props.name ?? label(entry.title));
    clear(this.body);
    this.body.append(el("p", { className: "feature-layer", text: label(entry.title) }));
    if (props.is_sample === true || entry.is_sample) {
      this.body.append(el("span", { className: "badge sample-badge", text: t("sample") }));
    }
    const rows = entry.fields
      .filter((f) => f.name !== "is_sample" && props[f.name] != null && props[f.name] !== "" && !(Array.isArray(props[f.name]) && !props[f.name].length))
      .map((f) => [el("dt", { text: label(f.label) }), el("dd", { dataset: { field: f.name }, text: formatValue(props[f.name], this.valueLabels[f.name]) })]);
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
