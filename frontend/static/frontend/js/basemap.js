// The map and its basemap. A basemap that cannot be reached (closed network, server down) must
// not leave people on a grey screen: the map says so, and draws a light fallback from our own
// data (the catalogue's ``basemap_fallback`` layers: Comune boundaries with names, stations).
import { el, getJSON } from "./dom.js";
import { t } from "./i18n.js";

// Comune names crowd the map below this zoom.
const LABELS_FROM_ZOOM = 11;

/** A Leaflet map in ``element`` fitted to the CMM, with the configured basemap. */
export function createMap(element, config) {
  const [minx, miny, maxx, maxy] = config.extent || [8.69, 45.15, 9.56, 45.65];
  const bounds = L.latLngBounds([miny, minx], [maxy, maxx]);
  const map = L.map(element, {
    preferCanvas: true,
    minZoom: config.minZoom ?? 8,
    maxZoom: config.maxZoom ?? 19,
    maxBounds: bounds.pad(0.5),
    keyboard: true,
    zoomControl: false,
  });
  L.control.zoom({ zoomInTitle: t("zoomInTitle"), zoomOutTitle: t("zoomOutTitle") }).addTo(map);
  map.fitBounds(bounds);
  map.attributionControl.setPrefix(false);
  let fallen = false;
  const fallBack = () => {
    if (fallen) return;
    fallen = true;
    showBasemapNotice(map);
    drawFallback(map, config.catalogueUrl);
  };
  if (config.basemapUrl) {
    L.tileLayer(config.basemapUrl, { attribution: config.basemapAttribution, maxZoom: 19, alt: "" })
      .on("tileerror", (event) => { event.tile.style.visibility = "hidden"; event.tile.alt = ""; fallBack(); })
      .addTo(map);
  } else {
    fallBack();
  }
  return map;
}

/** A notice inside the map (a live region, so screen readers hear it too). */
function showBasemapNotice(map) {
  const Notice = L.Control.extend({
    onAdd: () => el("div", { className: "basemap-notice", role: "status", text: t("basemapDown") }),
  });
  new Notice({ position: "bottomleft" }).addTo(map);
  map.getContainer().dataset.basemap = "fallback";
}

/** Light drawing of the fallback layers under everything else, names as tooltips. */
async function drawFallback(map, catalogueUrl) {
  if (!catalogueUrl) return;
  const pane = map.createPane("rx-fallback");
  pane.style.zIndex = "250";
  pane.style.pointerEvents = "none";
  const renderer = L.svg({ pane: "rx-fallback" });
  const showLabels = () => map.getContainer().classList.toggle("fallback-labels-hidden", map.getZoom() < LABELS_FROM_ZOOM);
  map.on("zoomend", showLabels);
  showLabels();
  const catalogue = await getJSON(catalogueUrl);
  for (const entry of catalogue?.layers || []) {
    if (!entry.basemap_fallback) continue;
    const data = await getJSON(entry.links.geojson);
    if (!data) continue;
    const name = (f) => String(f.properties?.name ?? f.properties?.title ?? "");
    L.geoJSON(data, {
      pane: "rx-fallback", renderer, interactive: false,
      style: () => ({ color: "#9a9a9a", weight: 1, fill: true, fillColor: "#f4f1ea", fillOpacity: 1 }),
      pointToLayer: (f, latlng) => L.circleMarker(latlng, { pane: "rx-fallback", renderer, radius: 2, color: "#777", weight: 1, fillOpacity: 1 }),
      onEachFeature: (f, layer) => {
        if (!/Point/.test(f.geometry?.type || "")) {
          layer.bindTooltip(name(f), { permanent: true, direction: "center", className: "fallback-label", pane: "rx-fallback" });
        }
      },
    }).addTo(map);
    map.getContainer().dataset.fallbackLayers = `${map.getContainer().dataset.fallbackLayers || ""} ${entry.id}`.trim();
  }
}

/** Draw one GeoJSON feature on a small map (detail pages). */
export function drawFeature(map, feature, style = {}) {
  const layer = L.geoJSON(feature, {
    style: () => ({ color: "#0066cc", weight: 2, fillOpacity: 0.25, ...style }),
    pointToLayer: (f, latlng) => L.circleMarker(latlng, { radius: 8, color: "#0066cc", fillOpacity: 0.7 }),
  }).addTo(map);
  const bounds = layer.getBounds();
  if (bounds.isValid()) map.fitBounds(bounds, { maxZoom: 16, padding: [20, 20] });
  return layer;
}
