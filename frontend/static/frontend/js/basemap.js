// The map and its basemap. A basemap that cannot be reached (closed network) must not break
// the map: failed tiles are hidden, so no broken-image icons appear.

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
  });
  map.fitBounds(bounds);
  map.attributionControl.setPrefix(false);
  if (config.basemapUrl) {
    L.tileLayer(config.basemapUrl, { attribution: config.basemapAttribution, maxZoom: 19, alt: "" })
      .on("tileerror", (event) => { event.tile.style.visibility = "hidden"; event.tile.alt = ""; })
      .addTo(map);
  }
  return map;
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
