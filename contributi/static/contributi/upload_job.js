// The upload job's page: poll its status while it runs (the page reloads when it ends, so a
// reload at any time shows the same thing), and draw the features read on a map over the
// boundaries of their Comuni. Popups are built with textContent.
const section = document.getElementById("job");

function setText(id, value) {
  const el = document.getElementById(id);
  if (el) el.textContent = String(value);
}

async function poll() {
  const response = await fetch(section.dataset.statusUrl, { headers: { Accept: "application/json" } });
  if (!response.ok) return;
  const job = await response.json();
  setText("job-status", job.status_label);
  setText("job-read", job.read);
  setText("job-checked", job.checked);
  setText("job-stored", job.stored);
  setText("job-total", job.total);
  const bar = document.getElementById("job-progress");
  bar.max = Math.max(job.total, 1);
  bar.value = job.phase === "commit" ? job.stored : job.checked;
  if (job.finished) {
    window.location.reload();
    return;
  }
  window.setTimeout(poll, 500);
}

if (section && section.dataset.finished === "false") window.setTimeout(poll, 300);

const mapEl = document.getElementById("report-map");
if (mapEl && window.L) {
  const config = JSON.parse(document.getElementById("portal-config").textContent);
  const features = JSON.parse(document.getElementById("report-features").textContent);
  const boundaries = JSON.parse(document.getElementById("report-boundaries").textContent);
  const map = L.map(mapEl).setView([45.46, 9.19], 10);
  if (config.basemapUrl) {
    L.tileLayer(config.basemapUrl, { attribution: config.basemapAttribution, maxZoom: 19 })
      .on("tileerror", (e) => { e.tile.style.display = "none"; })
      .addTo(map);
  }
  // The Comune boundaries come from our own data: context even when the basemap fails.
  const comuni = L.geoJSON(boundaries, {
    style: { color: "#595959", weight: 1.5, dashArray: "4 3", fill: false },
    interactive: false,
  }).addTo(map);
  const style = (f) => (f.properties.ok
    ? { color: "#237804", fillColor: "#52c41a", weight: 2, fillOpacity: 0.35 }
    : { color: "#a8071a", fillColor: "#ff4d4f", weight: 2, fillOpacity: 0.45 });
  const read = L.geoJSON(features, {
    style,
    pointToLayer: (f, latlng) => L.circleMarker(latlng, { ...style(f), radius: 6 }),
    onEachFeature: (f, layer) => {
      const box = document.createElement("div");
      const title = document.createElement("strong");
      title.textContent = `${f.properties.number}. ${f.properties.title || ""}`;
      box.append(title);
      for (const error of f.properties.errors) {
        const line = document.createElement("p");
        line.className = "error";
        line.textContent = error;
        box.append(line);
      }
      layer.bindPopup(box);
      layer.options.className = f.properties.ok ? "feature-ok" : "feature-ko";
    },
  }).addTo(map);
  const bounds = read.getLayers().length ? read.getBounds() : comuni.getBounds();
  if (bounds.isValid()) map.fitBounds(bounds, { maxZoom: 14, padding: [12, 12] });
  mapEl.dataset.ready = "true";
  mapEl.dataset.features = String(read.getLayers().length);
  window.remixReportMap = { map, read, comuni };
}
