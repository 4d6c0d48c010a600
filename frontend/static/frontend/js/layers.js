// The layer tree (from the catalogue: themes in its order, layers with their legends) and the
// Leaflet layers: vector tiles for big layers, GeoJSON for small ones, clustered points when asked.
// Every feature is drawn in a pane by kind, so points lie over lines over areas over
// Comune-level records over context areas (Comuni, Zone), and clicks are picked in that order.
import { clear, el, getJSON } from "./dom.js";
import { layerParams } from "./filters.js";
import { label, t, formatCount } from "./i18n.js";
import { isComuneLevel, styleOf, swatchStyle } from "./style.js";

// Panes from bottom to top; the pick order is the reverse.
export const PANES = { context: 380, comuneLevel: 390, areas: 400, lines: 410, points: 420, highlight: 450 };
const KIND_RANK = { points: 0, lines: 1, areas: 2, comuneLevel: 3, context: 4 };
// Extra pixels around a point or a line that still count as a click on it.
const CLICK_TOLERANCE = 4;

export function withQuery(url, params) {
  const query = params.toString();
  return query ? `${url}${url.includes("?") ? "&" : "?"}${query}` : url;
}

/** The pane kind of a feature: context areas, Comune-level records, then by geometry. */
export function kindOf(entry, feature) {
  if (entry.role === "context") return "context";
  if (isComuneLevel(entry, feature)) return "comuneLevel";
  const type = feature.geometry?.type || entry.geometry_type;
  if (/Point/.test(type)) return "points";
  if (/LineString/.test(type)) return "lines";
  return "areas";
}

export function createPanes(map) {
  const renderers = {};
  for (const [name, zIndex] of Object.entries(PANES)) {
    const pane = map.createPane(`rx-${name}`);
    pane.style.zIndex = String(zIndex);
    pane.dataset.kind = name;
    renderers[name] = L.canvas({ pane: `rx-${name}`, padding: 0.2 });
  }
  map.getPane("rx-highlight").style.pointerEvents = "none";
  return renderers;
}

/** Rough size of a shape (degrees²), only to order overlapping areas smallest first. */
function sizeOf(bounds) {
  if (!bounds?.isValid()) return 0;
  return (bounds.getNorth() - bounds.getSouth()) * (bounds.getEast() - bounds.getWest());
}

export class LayerManager {
  /** ``onChange()`` after a toggle or a reload. */
  constructor(map, catalogue, { onChange }) {
    this.map = map;
    this.themes = catalogue.themes || [];
    this.entries = new Map((catalogue.layers || []).map((entry) => [entry.id, entry]));
    this.order = [...this.entries.keys()];
    this.active = new Set();
    this.leaflet = new Map();
    this.counts = new Map();
    this.data = new Map();
    this.controllers = new Map();
    this.filters = {};
    this.onChange = onChange;
    this.renderers = createPanes(map);
  }

  /** The layers shown when the map opens without a permalink. */
  defaults() {
    return [...this.entries.values()].filter((e) => e.default_visible).map((e) => e.id);
  }

  /** Build the tree in ``container`` with checkboxes for each layer, themes in catalogue order. */
  renderTree(container) {
    clear(container);
    const rank = (theme) => {
      const i = this.themes.findIndex((th) => th.id === theme);
      return i < 0 ? this.themes.length : i;
    };
    const themes = new Map();
    for (const entry of this.entries.values()) {
      if (!themes.has(entry.theme)) themes.set(entry.theme, { title: entry.theme_title, layers: [] });
      themes.get(entry.theme).layers.push(entry);
    }
    const ordered = [...themes.entries()].sort((a, b) => rank(a[0]) - rank(b[0]));
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
      entry.legend.map((item) => el("li", { dataset: { value: item.value ?? "", comuneLevel: item.comune_level ? "true" : "" } },
        el("span", { className: "swatch", style: swatchStyle(item), "aria-hidden": "true", dataset: { color: item.color } }),
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

  /** Switch a layer on (ticking its box), e.g. for a search result on a hidden layer. */
  async ensureActive(id) {
    if (this.active.has(id) || !this.entries.has(id)) return;
    const box = document.querySelector(`#layer-${CSS.escape(id)}`);
    if (box) box.checked = true;
    await this.toggle(id, true);
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
    this.data.delete(id);
  }

  setCount(id, count) {
    this.counts.set(id, count);
    const span = document.querySelector(`[data-layer-item="${id}"] .layer-count`);
    if (!span) return;
    span.dataset.count = count == null ? "" : String(count);
    span.textContent = count == null ? "" : formatCount(count);
  }

  params(entry) {
    return layerParams(this.filters, entry.queryables);
  }

  async load(id) {
    const entry = this.entries.get(id);
    if (!entry) return;
    const params = this.params(entry);
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
    this.data.set(id, data);
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

  /** One Leaflet GeoJSON layer per kind (each in its pane), grouped. Not interactive: the map
   *  picks clicks itself (see ``pick``). */
  geoJsonLayer(entry, data) {
    const byKind = new Map();
    for (const feature of data.features) {
      const kind = kindOf(entry, feature);
      if (!byKind.has(kind)) byKind.set(kind, []);
      byKind.get(kind).push(feature);
    }
    const group = L.featureGroup();
    for (const [kind, features] of byKind) {
      const renderer = this.renderers[kind];
      const layer = L.geoJSON({ type: "FeatureCollection", features }, {
        renderer,
        pane: `rx-${kind}`,
        interactive: false,
        style: (feature) => styleOf(entry, feature.properties),
        pointToLayer: (feature, latlng) => {
          const style = styleOf(entry, feature.properties);
          return L.circleMarker(latlng, {
            ...style, renderer, pane: `rx-${kind}`, interactive: false,
            radius: style.radius || 6, fillOpacity: Math.max(style.fillOpacity ?? 0.6, 0.6),
          });
        },
      });
      layer.rxKind = kind;
      if (entry.cluster && kind === "points" && typeof L.markerClusterGroup === "function") {
        const cluster = L.markerClusterGroup({ showCoverageOnHover: false, clusterPane: "rx-points" }).addLayer(layer);
        cluster.rxKind = kind;
        cluster.rxInner = layer;
        group.addLayer(cluster);
      } else {
        group.addLayer(layer);
      }
    }
    return group;
  }

  tileLayer(entry, params) {
    const url = withQuery(entry.links.tiles, params).replace(/%7B/g, "{").replace(/%7D/g, "}");
    const kind = entry.role === "context" ? "context" : "areas";
    const tiles = L.vectorGrid.protobuf(url, {
      vectorTileLayerStyles: {
        [entry.id]: (properties) => ({ ...styleOf(entry, properties), fill: true, radius: entry.style.radius || 4 }),
      },
      interactive: false,
      pane: `rx-${kind}`,
      rendererFactory: L.canvas.tile,
      minZoom: entry.min_zoom,
      maxNativeZoom: Math.min(entry.max_zoom, 18),
    });
    return tiles;
  }

  /** Every feature of the active layers under ``latlng``, most precise first: points, lines,
   *  areas (smallest first), Comune-level records, context areas; the upper layer first on a
   *  tie. Drawn GeoJSON is hit-tested as drawn; tiled layers ask the server (bbox of the click). */
  async pick(latlng) {
    const point = this.map.latLngToLayerPoint(latlng);
    const hits = [];
    for (const id of this.active) {
      const entry = this.entries.get(id);
      const group = this.leaflet.get(id);
      if (!group || entry.render === "tiles") continue;
      group.eachLayer((kindLayer) => {
        const inner = kindLayer.rxInner || kindLayer;
        inner.eachLayer((shape) => {
          // A Multi* feature is a group of shapes: any of its parts is the feature.
          const parts = shape.eachLayer ? shape.getLayers() : [shape];
          if (!parts.some((part) => part._map && part._containsPoint && this.contains(part, point))) return;
          hits.push({ entry, feature: shape.feature, kind: inner.rxKind, size: shape.getBounds ? sizeOf(shape.getBounds()) : 0 });
        });
      });
    }
    const tiled = [...this.active].map((id) => this.entries.get(id)).filter((e) => e.render === "tiles" && this.leaflet.has(e.id));
    const box = this.clickBox(latlng);
    await Promise.all(tiled.map(async (entry) => {
      const params = this.params(entry);
      params.set("bbox", box.join(","));
      const data = await getJSON(withQuery(entry.links.geojson, params));
      for (const feature of data?.features || []) {
        hits.push({ entry, feature, kind: kindOf(entry, feature), size: sizeOf(L.geoJSON(feature).getBounds()) });
      }
    }));
    // Within a pane, a layer registered later is drawn above an earlier one.
    const layerRank = (entry) => -this.order.indexOf(entry.id);
    hits.sort((a, b) => (KIND_RANK[a.kind] - KIND_RANK[b.kind]) || (a.size - b.size) || (layerRank(a.entry) - layerRank(b.entry)));
    return hits;
  }

  contains(shape, point) {
    // Lines and areas: Leaflet's own hit test of the canvas renderer (layer pixels, with the
    // renderer's tolerance). Points: the drawn disc plus a few pixels, easier to hit on a phone.
    if (!(shape instanceof L.CircleMarker)) return shape._containsPoint(point);
    const centre = this.map.latLngToLayerPoint(shape.getLatLng());
    const reach = (shape.options.radius || 6) + (shape.options.weight || 0) / 2 + CLICK_TOLERANCE;
    return centre.distanceTo(point) <= reach;
  }

  /** A box of a few pixels around ``latlng``, as minx,miny,maxx,maxy in degrees. */
  clickBox(latlng) {
    const p = this.map.latLngToContainerPoint(latlng);
    const a = this.map.containerPointToLatLng([p.x - CLICK_TOLERANCE, p.y + CLICK_TOLERANCE]);
    const b = this.map.containerPointToLatLng([p.x + CLICK_TOLERANCE, p.y - CLICK_TOLERANCE]);
    return [a.lng, a.lat, b.lng, b.lat].map((v) => v.toFixed(7));
  }
}
