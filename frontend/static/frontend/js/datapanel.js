// The "Dati" panel: every layer with its licence and the links of the catalogue.
import { clear, el } from "./dom.js";
import { label, t } from "./i18n.js";

function link(href, text) {
  return el("a", { href, text });
}

/** Fill ``container`` with one card per catalogue entry. */
export function renderDataPanel(container, catalogue) {
  clear(container);
  for (const entry of catalogue) {
    const links = entry.links;
    const exports = links.exports || {};
    container.append(el("article", { className: "data-layer", dataset: { layer: entry.id } },
      el("h3", { text: label(entry.title) }),
      entry.is_sample ? el("span", { className: "badge sample-badge", text: t("sample") }) : null,
      el("p", { className: "small", text: label(entry.description) }),
      el("p", { className: "small" }, `${t("licence")}: `, el("strong", { text: entry.licence || "—" }), ` · ${t("attribution")}: ${entry.attribution || "—"}`),
      el("ul", { className: "data-links" },
        links.ogc_collection ? el("li", {}, link(links.ogc_collection, "OGC API Features")) : null,
        // A mixed layer reaches GIS clients as one collection per geometry type.
        ...(links.ogc_collection ? [] : (entry.collections || []).map((c) => el("li", {}, link(c.ogc_collection, `OGC: ${c.id} (${c.geometry_type})`)))),
        el("li", {}, link(links.geojson, "GeoJSON")),
        el("li", {}, link(links.tilejson, `${t("tiles")} (TileJSON)`)),
        ...Object.entries(exports).filter(([key]) => key !== "geojson").map(([key, href]) => el("li", {}, link(href, key.toUpperCase())))),
      el("p", { className: "small tiles-url" }, `${t("tiles")}: `, el("code", { text: new URL(links.tiles, window.location.origin).href.replace(/%7B/g, "{").replace(/%7D/g, "}") }))));
  }
}
