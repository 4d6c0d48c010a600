// The layer tree (from the catalogue, grouped by theme, with legends) and the Leaflet layers:
// vector tiles for big layers, GeoJSON for small ones, clustered points when asked.
import { clear, el, getJSON } from "./dom.js";
import { layerParams } from "./filters.js";
import { label, t } from "./i18n.js";

const THEME_ORDER = ["rigenerazione", "pianificazione", "mobilita", "servizi", "territorio"];

function themeRank(theme) {
  const i = THEME_ORDER.indexOf(theme);
  return i < 0 ? THEME_ORDER.length : i;
}

function withQuery(url, params) {
  const query = params.toString();
  return query ? `${url}${url.includes("?") ? "&" : "?"}${query}` : url;
}

/** The style function of a layer: ``entry.style``, coloured by category when the style names a
 *  ``property`` and the legend items carry the matching ``value`` (a categorised layer). */
function featureStyle(entry) {
  const base = { ...entry.style };
  const colours = new Map(entry.legend.filter((item) => item.value != null).map((item) => [String(item.value), item.color]));
  const byCategory = base.property && colours.size
    ? (feature) => {
      const colour = colours.get(String(feature.properties?.[base.property]));
      return colour ? { ...base, color: colour, fillColor: colour } : base;
    }
    : () => base;
  // A record located only by its Comune carries the Comune's boundary: draw it as a light
  // dashed outline, never as if it were the project's perimeter.
  return (feature) => {
    const style = byCategory(feature);
    return feature.properties?.localizzazione === "comunale"
      ? { ...style, dashArray: "4 4", weight: 1.5, fillOpacity: 0.05 }
      : style;
  };
}

export class LayerManager {
  /** ``onFeature(entry, feature)`` on click; ``onChange()`` after a toggle or a reload. */
  constructor(map, catalogue, { onFeature, onChange }) {
    this.map = map;
    this.entries = new Map(catalogue.map((entry) => [entry.id, entry]));
    this.active = new Set();
    this.leaflet = new Map();
    this.counts = new Map();
    this.controllers = new Map();
    this.filters = {};
    this.onFeature = onFeature;
    this.onChange = onChange;
  }

  /** Build the tree in ``container`` with checkboxes for each layer. */
  renderTree(container) {
    clear(container);
    const themes = new Map();
    for (const entry of this.entries.values()) {
      if (!themes.has(entry.theme)) themes.set(entry.theme, { title: entry.theme_title, layers: [] });
      themes.get(entry.theme).layers.push(entry);
    }
    const ordered = [...themes.entries()].sort((a, b) => themeRank(a[0]) - themeRank(b[0]));
    for (const [theme, group] of ordered) {
      const fieldset = el("fieldset", { className: "layer-group", dataset: { theme } },
        el("legend", { text: label(group.title) }));
      for (const entry of group.layers) fieldset.append(this.layerItem(entry));
      container.append(fieldset);
    }
    container.removeAttribute("aria-busy");
  }

  layerItem(entry) {
    const id = `layer-${entry.id}`;
    const checkbox = el("input", { type: "checkbox", id, className: "form-check-input", dataset: { layer: entry.id } });
    checkbox.checked = this.active.has(entry.id);
    checkbox.addEventListener("change", () => this.toggle(entry.id, checkbox.checked));
    const legend = el("ul", { className: "layer-legend", "aria-label": `${t("legend")}: ${label(entry.title)}` },
      entry.legend.map((item) => el("li", {},
        el("span", { className: "swatch", style: `background:${item.color}`, "aria-hidden": "true" }),
        label(item.label))));
    return el("div", { className: "layer-item", dataset: { layerItem: entry.id } },
      el("div", { className: "form-check" },
        checkbox,
        el("label", { for: id, className: "form-check-label" }, label(entry.title)),
        entry.is_sample ? el("span", { className: "badge sample-badge", text: t("sample") }) : null,
        el("span", { className: "layer-count", dataset: { count: "" }, "aria-live": "polite" })),
      legend);
  }

  /** Show or hide a layer. */
  async toggle(id, on) {
    if (on) {
      this.active.add(id);
      await this.load(id);
    } else {
      this.active.delete(id);
      this.remove(id);
      this.setCount(id, null);
    }
    this.onChange();
  }

  /** New filters: reload every active layer. */
  async setFilters(filters) {
    this.filters = filters;
    await Promise.all([...this.active].map((id) => this.load(id)));
    this.onChange();
  }

  remove(id) {
    this.controllers.get(id)?.abort();
    const layer = this.leaflet.get(id);
    if (layer) this.map.removeLayer(layer);
    this.leaflet.delete(id);
  }

  setCount(id, count) {
    this.counts.set(id, count);
    const span = document.querySelector(`[data-layer-item="${id}"] .layer-count`);
    if (!span) return;
    span.dataset.count = count == null ? "" : String(count);
    span.textContent = count == null ? "" : `${count} ${t("features")}`;
  }

  async load(id) {
    const entry = this.entries.get(id);
    if (!entry) return;
    const params = layerParams(this.filters, entry.queryables);
    if (entry.render === "tiles") {
      this.remove(id);
      this.leaflet.set(id, this.tileLayer(entry, params).addTo(this.map));
      await this.countTiled(entry, params, this.newController(id));
      return;
    }
    const controller = this.newController(id);
    const data = await getJSON(withQuery(entry.links.geojson, params), { signal: controller.signal });
    if (controller.signal.aborted || !this.active.has(id)) return;
    this.remove(id);
    if (!data) {
      this.setCount(id, null);
      document.querySelector(`[data-layer-item="${id}"] .layer-count`).textContent = t("loadError");
      return;
    }
    this.leaflet.set(id, this.geoJsonLayer(entry, data).addTo(this.map));
    this.setCount(id, data.features.length);
  }

  /** Abort the layer's pending request, if any, and hand out the controller of the next. */
  newController(id) {
    this.controllers.get(id)?.abort();
    const controller = new AbortController();
    this.controllers.set(id, controller);
    return controller;
  }

  /** A tiled layer's count: numberMatched of one OGC API item page with the same filters. */
  async countTiled(entry, params, controller) {
    this.setCount(entry.id, null);
    const query = new URLSearchParams(params);
    query.set("limit", "1");
    query.set("f", "json");
    const page = await getJSON(withQuery(entry.links.ogc_items, query), { signal: controller.signal });
    if (controller.signal.aborted || !this.active.has(entry.id)) return;
    this.setCount(entry.id, page ? page.numberMatched : null);
  }

  geoJsonLayer(entry, data) {
    const styleOf = featureStyle(entry);
    const layer = L.geoJSON(data, {
      style: styleOf,
      pointToLayer: (feature, latlng) => {
        const style = styleOf(feature);
        return L.circleMarker(latlng, { ...style, radius: style.radius || 6, fillOpacity: Math.max(style.fillOpacity ?? 0.6, 0.6) });
      },
      onEachFeature: (feature, featureLayer) => {
        featureLayer.on("click", () => this.onFeature(entry, feature));
      },
    });
    if (!entry.cluster || typeof L.markerClusterGroup !== "function") return layer;
    return L.markerClusterGroup({ showCoverageOnHover: false }).addLayer(layer);
  }

  tileLayer(entry, params) {
    const url = withQuery(entry.links.tiles, params).replace(/%7B/g, "{").replace(/%7D/g, "}");
    // Always filled (even at opacity 0) so a click inside a polygon reaches it.
    const style = { ...entry.style, fill: true, fillOpacity: entry.style.fillOpacity ?? 0, radius: entry.style.radius || 4 };
    const tiles = L.vectorGrid.protobuf(url, {
      vectorTileLayerStyles: { [entry.id]: style },
      interactive: true,
      // SVG tiles: their paths receive clicks through the DOM.
      rendererFactory: L.svg.tile,
      minZoom: entry.min_zoom,
      maxNativeZoom: Math.min(entry.max_zoom, 18),
      // VectorGrid hands click events only the properties: keep the feature id with them.
      getFeatureId: (f) => { f.properties.__id = f.id; return f.id; },
    });
    tiles.on("click", (event) => {
      const { __id: featureId, ...properties } = event.layer.properties || {};
      this.onFeature(entry, { id: featureId, properties });
    });
    return tiles;
  }
}
