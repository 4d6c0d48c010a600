// The list beside the map (also the accessible alternative to clicking shapes): the filtered
// features of one active layer as a sortable, paged table with totals, in sync with the map
// both ways, with CSV/GeoJSON exports carrying the same filters.
import { clear, el, getJSON } from "./dom.js";
import { formatArea, formatCount, formatEuro, label, t } from "./i18n.js";
import { withQuery } from "./layers.js";
import { formatValue } from "./panel.js";

const PAGE_SIZE = 20;
// Totals offered when the layer has the field: [field, how to add up, how to show].
const TOTALS = [
  ["costo_totale", (v) => Number(v || 0), formatEuro, "listCost"],
  ["contributo_richiesto", (v) => Number(v || 0), formatEuro, "listRequested"],
  ["superficie_m2", (v) => Number(v || 0), formatArea, "listArea"],
];

export class FeatureList {
  /** ``onChoose(entry, feature)`` when a row is chosen. */
  constructor(container, layers, { onChoose, valueLabels = {} }) {
    this.valueLabels = valueLabels;
    this.container = container;
    this.layers = layers;
    this.onChoose = onChoose;
    this.layerId = null;
    this.sort = { field: null, dir: 1 };
    this.page = 0;
    this.features = [];
    this.selected = null;
  }

  /** Layers the list can show: the active feature layers (not the context areas). */
  choices() {
    return [...this.layers.active].map((id) => this.layers.entries.get(id)).filter((e) => e && e.role !== "context");
  }

  async refresh() {
    const choices = this.choices();
    if (!choices.some((e) => e.id === this.layerId)) this.layerId = choices[0]?.id ?? null;
    const entry = this.layers.entries.get(this.layerId);
    if (!entry) { this.features = []; this.render(); return; }
    const drawn = this.layers.data.get(entry.id);
    const data = drawn || await getJSON(withQuery(entry.links.geojson, this.layers.params(entry)));
    if (this.layerId !== entry.id) return;
    this.features = data?.features || [];
    this.render();
  }

  columns(entry) {
    return entry.popup_fields.filter((f) => f.name !== "is_sample");
  }

  sorted(entry) {
    const { field, dir } = this.sort;
    if (!field) return this.features;
    const value = (f) => f.properties?.[field];
    return [...this.features].sort((a, b) => {
      const x = value(a), y = value(b);
      if (x == null) return 1;
      if (y == null) return -1;
      return (typeof x === "number" || !isNaN(Number(x)) && !isNaN(Number(y)) ? Number(x) - Number(y) : String(x).localeCompare(String(y))) * dir;
    });
  }

  render() {
    clear(this.container);
    const choices = this.choices();
    const entry = this.layers.entries.get(this.layerId);
    const select = el("select", { id: "list-layer", className: "form-select form-select-sm" },
      choices.map((e) => el("option", { value: e.id, text: label(e.title) })));
    select.value = this.layerId ?? "";
    select.addEventListener("change", () => { this.layerId = select.value; this.page = 0; this.sort = { field: null, dir: 1 }; this.refresh(); });
    this.container.append(el("label", { for: "list-layer", className: "small", text: t("listLayer") }), select);
    if (!entry) { this.container.append(el("p", { className: "small", text: t("noData") })); return; }
    this.container.append(this.totals(entry), this.exports(entry), this.table(entry), this.pager());
  }

  totals(entry) {
    const names = new Set(entry.fields.map((f) => f.name));
    const items = [el("li", { dataset: { total: "count" }, text: formatCount(this.features.length) })];
    for (const [field, add, show, key] of TOTALS) {
      if (!names.has(field)) continue;
      const sum = this.features.reduce((s, f) => s + add(f.properties?.[field]), 0);
      items.push(el("li", { dataset: { total: field, value: String(sum) }, text: `${t(key)}: ${show(sum)}` }));
    }
    return el("ul", { className: "list-totals", "aria-live": "polite" }, items);
  }

  exports(entry) {
    const params = this.layers.params(entry);
    const link = (key, text) => el("a", { href: withQuery(entry.links.exports[key], params), className: "btn btn-outline-primary btn-sm", dataset: { export: key }, text });
    return el("p", { className: "list-exports" }, link("csv", `${t("download")} CSV`), " ", link("geojson", `${t("download")} GeoJSON`));
  }

  table(entry) {
    const columns = this.columns(entry);
    const rows = this.sorted(entry).slice(this.page * PAGE_SIZE, (this.page + 1) * PAGE_SIZE);
    const head = el("tr", {}, columns.map((c) => {
      const sorted = this.sort.field === c.name;
      const button = el("button", { type: "button", className: "btn btn-link btn-sm p-0", dataset: { sort: c.name }, text: label(c.label) });
      button.addEventListener("click", () => { this.sort = { field: c.name, dir: sorted ? -this.sort.dir : 1 }; this.page = 0; this.render(); });
      return el("th", { scope: "col", "aria-sort": sorted ? (this.sort.dir > 0 ? "ascending" : "descending") : "none" }, button);
    }));
    const body = rows.map((feature) => {
      const row = el("tr", { dataset: { id: String(feature.id) }, tabIndex: 0, "aria-selected": String(this.selected === String(feature.id)) },
        columns.map((c) => {
          const value = feature.properties?.[c.name];
          return el("td", { text: value == null || value === "" ? "" : formatValue(value, this.valueLabels[c.name], c.name) });
        }));
      const choose = () => { this.select(feature.id); this.onChoose(entry, feature); };
      row.addEventListener("click", choose);
      row.addEventListener("keydown", (event) => { if (event.key === "Enter") choose(); });
      return row;
    });
    return el("div", { className: "list-table-wrap" }, el("table", { className: "table table-sm list-table" },
      el("caption", { className: "visually-hidden", text: label(entry.title) }), el("thead", {}, head), el("tbody", {}, body)));
  }

  pager() {
    const pages = Math.max(1, Math.ceil(this.features.length / PAGE_SIZE));
    const go = (page) => { this.page = Math.min(Math.max(page, 0), pages - 1); this.render(); };
    return el("nav", { className: "list-pager", "aria-label": t("listPages") },
      el("button", { type: "button", className: "btn btn-outline-primary btn-sm", disabled: this.page === 0, onclick: () => go(this.page - 1), text: "‹" }),
      el("span", { className: "small", dataset: { page: String(this.page + 1) }, text: ` ${this.page + 1} / ${pages} ` }),
      el("button", { type: "button", className: "btn btn-outline-primary btn-sm", disabled: this.page >= pages - 1, onclick: () => go(this.page + 1), text: "›" }));
  }

  /** Mark the row of ``id`` (a pick on the map selects it here), turning to its page. */
  select(id, layerId = this.layerId) {
    if (layerId !== this.layerId) return;
    this.selected = String(id);
    const index = this.sorted(this.layers.entries.get(this.layerId)).findIndex((f) => String(f.id) === this.selected);
    if (index >= 0) this.page = Math.floor(index / PAGE_SIZE);
    this.render();
  }
}
