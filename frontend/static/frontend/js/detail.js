// Detail pages: a small map with the record's geometry.
import { createMap, drawFeature } from "./basemap.js";

const config = JSON.parse(document.getElementById("portal-config").textContent);
const feature = JSON.parse(document.getElementById("detail-feature").textContent);
const element = document.getElementById("detail-map");
const map = createMap(element, { ...config, minZoom: 7 });
drawFeature(map, feature);
element.dataset.ready = "true";
