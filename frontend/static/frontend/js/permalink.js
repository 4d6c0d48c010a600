// The permalink: view, active layers and filters in the URL hash, restored on reload.
import { FILTER_KEYS } from "./filters.js";

/** ``{view: {zoom, lat, lng} | null, layers: string[] | null, filters: {}}`` from the hash. */
export function readPermalink(hash = window.location.hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  let view = null;
  const parts = (params.get("map") || "").split("/").map(Number);
  if (parts.length === 3 && parts.every(Number.isFinite) && Math.abs(parts[1]) <= 90 && Math.abs(parts[2]) <= 180) {
    view = { zoom: parts[0], lat: parts[1], lng: parts[2] };
  }
  const layers = params.has("layers") ? params.get("layers").split(",").filter(Boolean) : null;
  const filters = {};
  for (const key of FILTER_KEYS) if (params.get(key)) filters[key] = params.get(key);
  return { view, layers, filters };
}

/** Write the state to the hash without adding a history entry. */
export function writePermalink({ map, layers, filters }) {
  const params = new URLSearchParams();
  const c = map.getCenter();
  params.set("map", `${map.getZoom()}/${c.lat.toFixed(5)}/${c.lng.toFixed(5)}`);
  params.set("layers", layers.join(","));
  for (const [key, value] of Object.entries(filters)) params.set(key, value);
  const hash = "#" + params.toString().replaceAll("%2C", ",").replaceAll("%2F", "/");
  history.replaceState(null, "", window.location.pathname + window.location.search + hash);
  // The language switch returns to the same view.
  const next = document.querySelector(".language-switch input[name=next]");
  if (next) next.value = window.location.pathname + window.location.search + hash;
}
