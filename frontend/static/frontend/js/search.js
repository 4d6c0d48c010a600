// The search box: Comuni and searchable layers from /api/search/; a result zooms the map.
import { clear, el, getJSON } from "./dom.js";
import { label, t } from "./i18n.js";

const MIN_CHARS = 2;

/** Wire ``input`` and its results list to ``searchUrl``; ``onResult(hit)`` on choice. */
export function initSearch(input, list, searchUrl, onResult) {
  let timer = null;
  let controller = null;
  const run = async () => {
    const text = input.value.trim();
    controller?.abort();
    if (text.length < MIN_CHARS) { clear(list); return; }
    controller = new AbortController();
    const data = await getJSON(`${searchUrl}?q=${encodeURIComponent(text)}`, { signal: controller.signal });
    if (controller.signal.aborted) return;
    clear(list);
    if (!data) { list.append(el("li", { className: "search-empty", text: t("searchError") })); return; }
    if (!data.results.length) { list.append(el("li", { className: "search-empty", text: t("noResults") })); return; }
    for (const hit of data.results) {
      list.append(el("li", {}, el("button", {
        type: "button", className: "search-hit", dataset: { layer: hit.layer, id: String(hit.id) },
        onclick: () => { clear(list); input.value = hit.name; onResult(hit); },
      }, el("span", { className: "search-name", text: hit.name }), el("span", { className: "search-layer", text: label(hit.layer_title) }))));
    }
  };
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(run, 250); });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") { event.preventDefault(); clearTimeout(timer); run(); }
    if (event.key === "ArrowDown") { event.preventDefault(); list.querySelector("button")?.focus(); }
    if (event.key === "Escape") clear(list);
  });
  list.addEventListener("keydown", (event) => {
    const buttons = [...list.querySelectorAll("button")];
    const i = buttons.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && i < buttons.length - 1) { event.preventDefault(); buttons[i + 1].focus(); }
    if (event.key === "ArrowUp") { event.preventDefault(); (i > 0 ? buttons[i - 1] : input).focus(); }
    if (event.key === "Escape") { clear(list); input.focus(); }
  });
}

/** Zoom ``map`` to a search hit: its bounding box, or its point. */
export function zoomTo(map, hit) {
  if (hit.bbox && (hit.bbox[0] !== hit.bbox[2] || hit.bbox[1] !== hit.bbox[3])) {
    map.fitBounds([[hit.bbox[1], hit.bbox[0]], [hit.bbox[3], hit.bbox[2]]], { maxZoom: 16 });
  } else if (hit.centroid) {
    map.setView([hit.centroid[1], hit.centroid[0]], 16);
  }
}
