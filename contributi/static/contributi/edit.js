// Edit one record's geometry with Leaflet-Geoman; the result travels as GeoJSON in a hidden
// field of the attribute form (the server checks type, validity and Comuni again).
const config = JSON.parse(document.getElementById("portal-config").textContent);
const geometry = JSON.parse(document.getElementById("record-geometry").textContent);
const target = JSON.parse(document.getElementById("record-target").textContent);
const field = document.getElementById("id_geojson");
const mapEl = document.getElementById("edit-map");

const map = L.map(mapEl).setView([45.46, 9.19], 11);
if (config.basemapUrl) {
  L.tileLayer(config.basemapUrl, { attribution: config.basemapAttribution, maxZoom: 19 })
    .on("tileerror", (e) => { e.tile.style.display = "none"; })
    .addTo(map);
}

// Context from our own data, drawn even when the basemap fails: the Comune boundaries and the
// other published records of the same layer in the record's Comuni (not editable).
const boundaries = JSON.parse(document.getElementById("record-boundaries").textContent);
const neighbours = JSON.parse(document.getElementById("record-neighbours").textContent);
const comuni = L.geoJSON(boundaries, {
  style: { color: "#595959", weight: 1.5, dashArray: "4 3", fill: false },
  interactive: false,
  pmIgnore: true,
}).addTo(map);
const neighbourStyle = { color: "#8c8c8c", fillColor: "#bfbfbf", weight: 1, fillOpacity: 0.3 };
const others = L.geoJSON(neighbours, {
  style: neighbourStyle,
  pmIgnore: true,
  pointToLayer: (f, latlng) => L.circleMarker(latlng, { ...neighbourStyle, radius: 5, pmIgnore: true }),
  onEachFeature: (f, layer) => {
    const label = document.createElement("span");
    label.textContent = f.properties.title;
    layer.bindTooltip(label);
  },
}).addTo(map);
mapEl.dataset.neighbours = String(others.getLayers().length);
mapEl.dataset.comuni = String(comuni.getLayers().length);

const drawn = L.featureGroup().addTo(map);
if (geometry) {
  L.geoJSON(JSON.parse(geometry)).eachLayer((layer) => drawn.addLayer(layer));
  if (drawn.getLayers().length) map.fitBounds(drawn.getBounds(), { maxZoom: 15 });
} else if (comuni.getLayers().length) {
  map.fitBounds(comuni.getBounds());
}

const polygonsOnly = target === "opportunita";
map.pm.addControls({
  position: "topleft",
  drawMarker: !polygonsOnly,
  drawPolyline: !polygonsOnly,
  drawCircleMarker: false,
  drawCircle: false,
  drawText: false,
  drawRectangle: true,
  drawPolygon: true,
  cutPolygon: false,
  rotateMode: false,
});
map.pm.setGlobalOptions({ layerGroup: drawn });

function sync() {
  const features = drawn.toGeoJSON().features;
  if (!features.length) { field.value = ""; return; }
  // One multi geometry of the first drawn kind; the server refuses mixed kinds.
  const kind = features[0].geometry.type.replace("Multi", "");
  const parts = [];
  for (const f of features) {
    const g = f.geometry;
    if (g.type === kind) parts.push(g.coordinates);
    else if (g.type === `Multi${kind}`) parts.push(...g.coordinates);
    else parts.push(null);
  }
  field.value = parts.includes(null)
    ? JSON.stringify({ type: "GeometryCollection", geometries: features.map((f) => f.geometry) })
    : JSON.stringify({ type: `Multi${kind}`, coordinates: parts });
}
map.on("pm:create", (e) => { drawn.addLayer(e.layer); sync(); e.layer.on("pm:edit", sync); });
map.on("pm:remove", sync);
drawn.eachLayer((layer) => layer.on("pm:edit", sync));
drawn.on("pm:edit pm:dragend pm:markerdragend", sync);
mapEl.dataset.ready = "true";
window.remixEditMap = { map, drawn, sync };
