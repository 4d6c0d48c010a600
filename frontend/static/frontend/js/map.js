// Seed of the portal: the Comuni of the CMM coloured by Zona omogenea, name on hover.
const config = JSON.parse(document.getElementById("portal-config").textContent);
const mapEl = document.getElementById("map");

const ZONA_COLOURS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"];
const colourByZona = new Map();
function zonaColour(name) {
  if (!name) return "#bbbbbb";
  if (!colourByZona.has(name)) colourByZona.set(name, ZONA_COLOURS[colourByZona.size % ZONA_COLOURS.length]);
  return colourByZona.get(name);
}

const map = L.map(mapEl, { preferCanvas: true }).setView([45.46, 9.19], 10);
if (config.basemapUrl) {
  // A basemap that cannot be reached must not break the map: hide failed tiles quietly.
  L.tileLayer(config.basemapUrl, { attribution: config.basemapAttribution, maxZoom: 19 })
    .on("tileerror", (e) => { e.tile.style.display = "none"; })
    .addTo(map);
}

const response = await fetch(mapEl.dataset.comuniUrl, { headers: { Accept: "application/json" } });
const comuni = await response.json();
const layer = L.geoJSON(comuni, {
  style: (f) => ({ color: "#ffffff", weight: 1, fillColor: zonaColour(f.properties.zona_omogenea), fillOpacity: 0.6 }),
  onEachFeature: (f, l) => {
    // Text, never HTML: names come from data.
    const label = document.createElement("span");
    label.className = "comune-label";
    label.textContent = f.properties.name;
    l.bindTooltip(label, { sticky: true });
  },
}).addTo(map);
map.fitBounds(layer.getBounds());
mapEl.dataset.loaded = String(comuni.features.length);
