// Side-by-side maps of a geometry change in the history: before (grey) and after (blue), on
// the same extent, so that what moved is seen at a glance.
const config = JSON.parse(document.getElementById("portal-config").textContent);
const changes = JSON.parse(document.getElementById("history-geometries").textContent);

function drawPair(change) {
  const box = document.querySelector(`.geometry-compare[data-version="${change.id}"]`);
  if (!box) return;
  const both = L.featureGroup();
  const layers = {};
  for (const side of ["before", "after"]) {
    if (!change[side]) continue;
    const style = side === "before"
      ? { color: "#595959", fillOpacity: 0.25, weight: 2 }
      : { color: "#1d39c4", fillOpacity: 0.3, weight: 2 };
    layers[side] = () => L.geoJSON(change[side], {
      style,
      pointToLayer: (f, latlng) => L.circleMarker(latlng, { ...style, radius: 6 }),
    });
    both.addLayer(layers[side]());
  }
  const bounds = both.getBounds();
  for (const el of box.querySelectorAll(".history-map")) {
    const map = L.map(el, { attributionControl: false });
    if (config.basemapUrl) {
      L.tileLayer(config.basemapUrl, { maxZoom: 19 })
        .on("tileerror", (e) => { e.tile.style.display = "none"; })
        .addTo(map);
    }
    if (layers[el.dataset.side]) layers[el.dataset.side]().addTo(map);
    if (bounds.isValid()) map.fitBounds(bounds, { maxZoom: 17, padding: [8, 8] });
    el.dataset.ready = "true";
  }
}
changes.forEach(drawPair);
