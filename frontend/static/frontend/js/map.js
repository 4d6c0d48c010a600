// The portal's map page: wires the catalogue, layers, filters, search, panels, charts and the
// permalink together. Server configuration arrives through json_script elements.
import { createMap } from "./basemap.js";
import { Dashboard } from "./charts.js";
import { renderDataPanel } from "./datapanel.js";
import { getJSON } from "./dom.js";
import { initFilters } from "./filters.js";
import { LayerManager } from "./layers.js";
import { FeaturePanel, initTabs } from "./panel.js";
import { readPermalink, writePermalink } from "./permalink.js";
import { initSearch, zoomTo } from "./search.js";

const DEFAULT_LAYERS = ["comuni", "interventi", "opportunita"];

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
  };
}

const map = createMap(mapEl, config);
const state = readPermalink();
if (state.view) map.setView([state.view.lat, state.view.lng], state.view.zoom);

initTabs(document.querySelector(".portal-tabs"));
const featurePanel = new FeaturePanel(document.getElementById("feature-panel"), {
  interventoApi: mapConfig.api.interventi,
  valueLabels: valueLabels(mapConfig.filterOptions),
});
const dashboard = new Dashboard(document.getElementById("charts"), mapConfig.api);

const catalogue = (await getJSON(mapEl.dataset.catalogueUrl))?.layers || [];
let filters = {};
const save = () => writePermalink({ map, layers: [...layers.active], filters });
const layers = new LayerManager(map, catalogue, {
  onFeature: (entry, feature) => featurePanel.show(entry, feature),
  onChange: () => { save(); renderCounts(); },
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

const wanted = state.layers ?? DEFAULT_LAYERS;
for (const id of wanted) if (layers.entries.has(id)) layers.active.add(id);
layers.renderTree(document.getElementById("layer-tree"));
renderDataPanel(document.getElementById("data-panel"), catalogue);

filters = initFilters(document.getElementById("filters"), mapConfig.filterOptions, state.filters, async (next) => {
  filters = next;
  mapEl.dataset.ready = "false";
  await Promise.all([layers.setFilters(filters), dashboard.update(filters)]);
  mapEl.dataset.ready = "true";
});
initSearch(document.getElementById("search-input"), document.getElementById("search-results"), mapEl.dataset.searchUrl, (hit) => {
  zoomTo(map, hit);
  featurePanel.showHit(hit);
});
map.on("moveend", save);

await Promise.all([layers.setFilters(filters), dashboard.update(filters)]);
mapEl.dataset.ready = "true";
