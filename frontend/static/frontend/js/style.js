// One style definition for the legend and the drawing: both read the catalogue entry's
// ``style`` and ``legend`` (colour per class, declared server-side in the layer catalogue).

/** Whether ``feature`` of ``entry`` is located only by its Comune (catalogue ``comune_level``). */
export function isComuneLevel(entry, feature) {
  const rule = entry.comune_level;
  if (!rule) return false;
  const props = feature.properties || {};
  return Object.entries(rule).every(([key, value]) => String(props[key]) === String(value));
}

/** The legend entry a feature is drawn with: the comune-level entry, the entry of its class
 *  (``style.property`` → legend ``value``), or the layer's first entry. */
export function legendItemOf(entry, properties) {
  if (isComuneLevel(entry, { properties })) return entry.legend.find((item) => item.comune_level);
  const prop = entry.style?.property;
  if (prop) {
    const value = properties?.[prop];
    const item = entry.legend.find((i) => i.value != null && String(i.value) === String(value));
    if (item) return item;
  }
  return entry.legend.find((item) => !item.comune_level) || null;
}

/** The Leaflet path options of a feature's properties. */
export function styleOf(entry, properties) {
  const { property: _property, ...base } = entry.style || {};
  const item = legendItemOf(entry, properties);
  const style = item ? { ...base, color: item.color, fillColor: item.color } : { ...base };
  if (item?.comune_level) {
    // "Somewhere in this Comune": a dashed outline, no fill, so precise features stay visible.
    return { ...style, dashArray: "6 5", weight: 2, fill: false, fillOpacity: 0 };
  }
  return style;
}

/** Swatch CSS of a legend entry: dashed outline for comune-level records. */
export function swatchStyle(item) {
  return item.comune_level
    ? `background:transparent;border:2px dashed ${item.color}`
    : `background:${item.color}`;
}
