// The portal's map page: wires the catalogue, layers, filters, search, panels, charts and the
// permalink together. Server configuration arrives through json_script elements; layer ids,
// theme order and per-layer behaviour come from the catalogue.
import { createMap } from "./basemap.js";
import { renderDataPanel } from "./datapanel.js";
import { getJSON } from "./dom.js";
import { t } from "./i18n.js";
import { initFilters } from "./filters.js";
import { LayerManager, withQuery } from "./layers.js";
import { FeatureList } from "./list.js";
import { FeaturePanel, initTabs } from "./panel.js";
import { readPermalink, writePermalink } from "./permalink.js";
import { initSearch, zoomTo } from "./search.js";

const config = JSON.parse(document.getElementById("portal-config").textContent);
const mapConfig = JSON.parse(document.getElementById("map-config").textContent);
const mapEl = document.getElementById("map");

/** Code → label maps of the coded attributes, from the filter options. */
function valueLabels(options) {
  const toMap = (...lists) => Object.fromEntries(lists.flat().map((o) => [o.value, o.label]));
  return {
    stato: toMap(options.stato, options.stato_opportunita),
    tipo: toMap(options.tipo),
    ambiti_ricaduta: toMap(options.ambito),
    localizzazione: toMap(options.localizzazione || []),
    candidatura_esito: toMap(options.esito || []),
    candidatura_fonte: toMap(options.fonte || []),
    ruolo_ptm: toMap(options.ruolo_ptm || []),
    rank: toMap(options.rank || []),
  };
}

const map = createMap(mapEl, config);
// The browser tests compute where a feature is drawn from the map itself.
mapEl.leafletMap = map;
const state = readPermalink();
if (state.view) map.setView([state.view.lat, state.view.lng], state.view.zoom);

const featurePanel = new FeaturePanel(document.getElementById("feature-panel"), {
  interventoApi: mapConfig.api.interventi,
  valueLabels: valueLabels(mapConfig.filterOptions),
});

// The charts (and Chart.js) load only when their tab is first opened.
let dashboard = null;
async function openCharts() {
  if (dashboard) return;
  dashboard = (async () => {
    await loadScript(mapEl.dataset.chartjsUrl);
    const { Dashboard } = await import("./charts.js");
    const board = new Dashboard(document.getElementById("charts"), mapConfig.api, layers.entries.get("interventi"));
    await board.update(filters);
    return board;
  })();
}
function loadScript(src) {
  if (typeof Chart === "function" || !src) return Promise.resolve();
  return new Promise((resolve) => {
    const script = document.createElement("script");
    script.src = src;
    script.onload = resolve;
    script.onerror = resolve;
    document.head.append(script);
  });
}
let listOpen = false;
initTabs(document.querySelector(".portal-tabs"), {
  "tab-charts": openCharts,
  "tab-list": () => { listOpen = true; featureList.refresh(); },
});

const catalogue = (await getJSON(mapEl.dataset.catalogueUrl)) || { layers: [], themes: [] };
let filters = {};
const save = () => writePermalink({ map, layers: [...layers.active], filters });
const layers = new LayerManager(map, catalogue, {
  onChange: () => { save(); renderCounts(); if (listOpen) featureList.refresh(); },
});
// List → map: a chosen row is zoomed to, highlighted and shown in the panel.
const featureList = new FeatureList(document.getElementById("feature-list"), layers, {
  valueLabels: valueLabels(mapConfig.filterOptions),
  onChoose: (entry, feature) => {
    const bounds = L.geoJSON(feature).getBounds();
    if (bounds.isValid()) map.fitBounds(bounds, { maxZoom: 16, animate: false });
    featurePanel.show(entry, feature);
    highlightFeature(entry, feature);
  },
});

// -- Highlight what was chosen ------------------------------------------------------------
let highlight = null;
function highlightFeature(entry, feature) {
  highlight?.remove();
  highlight = null;
  if (!feature?.geometry) return;
  highlight = L.geoJSON(feature, {
    pane: "rx-highlight", interactive: false,
    renderer: layers.renderers.highlight,
    style: () => ({ color: "#ffd400", weight: 5, opacity: 1, fill: false }),
    pointToLayer: (f, latlng) => L.circleMarker(latlng, { pane: "rx-highlight", renderer: layers.renderers.highlight, radius: 11, color: "#ffd400", weight: 4, fill: false }),
  }).addTo(map);
  mapEl.dataset.highlight = `${entry.id}:${feature.id ?? ""}`;
}

/** The GeoJSON feature ``id`` of a layer: from the drawn data, else from the OGC API. */
async function featureOf(entry, id) {
  const drawn = layers.data.get(entry.id)?.features.find((f) => String(f.id) === String(id));
  if (drawn) return drawn;
  return getJSON(withQuery(`${entry.links.ogc_items}/${encodeURIComponent(id)}`, new URLSearchParams({ f: "json" })));
}

function showPick(hits) {
  featurePanel.showHits(hits, showPick);
  if (hits.length) highlightFeature(hits[0].entry, hits[0].feature);
  // Map → list: the picked feature's row is selected.
  if (hits.length && listOpen) featureList.select(hits[0].feature.id, hits[0].entry.id);
}

map.on("click", async (event) => {
  const hits = await layers.pick(event.latlng);
  if (!hits.length) { featurePanel.close(); highlightFeature(null, null); return; }
  showPick(hits);
});

function renderCounts() {
  const list = document.getElementById("counts");
  list.replaceChildren(...[...layers.active].filter((id) => layers.counts.get(id) != null).map((id) => {
    const item = document.createElement("li");
    item.dataset.layer = id;
    item.dataset.count = String(layers.counts.get(id));
    const title = layers.entries.get(id).title;
    item.textContent = `${title[document.documentElement.lang] || title.it}: ${layers.counts.get(id)}`;
    return item;
  }));
}

const wanted = state.layers ?? layers.defaults();
for (const id of wanted) if (layers.entries.has(id)) layers.active.add(id);
layers.renderTree(document.getElementById("layer-tree"));
renderDataPanel(document.getElementById("data-panel"), catalogue.layers);

/** A Comune (or Zona) filter brings the map to it. */
async function zoomToPlace(next, previous) {
  const place = next.comune && next.comune !== previous.comune ? ["comune", next.comune]
    : next.zona && next.zona !== previous.zona ? ["zona", next.zona] : null;
  if (!place) return;
  const context = [...layers.entries.values()].find((e) => e.role === "context" && e.queryables.includes(place[0]));
  if (!context) return;
  const data = await getJSON(withQuery(context.links.geojson, new URLSearchParams([place])));
  const bounds = data?.features?.length ? L.geoJSON(data).getBounds() : null;
  if (bounds?.isValid()) map.fitBounds(bounds, { maxZoom: 15, animate: false });
}

filters = initFilters(document.getElementById("filters"), mapConfig.filterOptions, state.filters, async (next) => {
  const previous = filters;
  filters = next;
  mapEl.dataset.ready = "false";
  // On a phone the form sits above the map: bring the map back into view.
  if (window.matchMedia("(max-width: 767.98px)").matches) mapEl.scrollIntoView({ block: "start" });
  await Promise.all([layers.setFilters(filters), zoomToPlace(next, previous), dashboard?.then((d) => d.update(filters))]);
  mapEl.dataset.ready = "true";
});
initSearch(document.getElementById("search-input"), document.getElementById("search-results"), mapEl.dataset.searchUrl, async (hit) => {
  zoomTo(map, hit);
  featurePanel.showHit(hit);
  const entry = layers.entries.get(hit.layer);
  if (!entry) return;
  await layers.ensureActive(entry.id);
  highlightFeature(entry, await featureOf(entry, hit.id));
});
map.on("moveend", save);

// Share (copy the link of the current view) and print (map, legend, filters, attribution).
document.getElementById("share-button").addEventListener("click", async () => {
  const status = document.getElementById("share-status");
  try {
    await navigator.clipboard.writeText(window.location.href);
    status.textContent = t("linkCopied");
  } catch {
    status.textContent = window.location.href;
  }
});
document.getElementById("print-button").addEventListener("click", () => {
  const form = document.getElementById("filters");
  const chosen = [...form.querySelectorAll("select, input")].filter((c) => c.value)
    .map((c) => `${form.querySelector(`label[for="${c.id}"]`)?.textContent}: ${c.tagName === "SELECT" ? c.selectedOptions[0].textContent : c.value}`);
  document.getElementById("print-summary").textContent = `${t("filters")}: ${chosen.join("; ") || t("none")}`;
  document.getElementById("tab-btn-layers").click();
  window.print();
});

await layers.setFilters(filters);
mapEl.dataset.ready = "true";
// First useful map: measured by a browser test and written to its log.
mapEl.dataset.firstMapMs = String(Math.round(performance.now()));
