// The filter form: its state, and which query parameters each layer or chart receives.
import { t } from "./i18n.js";

export const FILTER_KEYS = ["comune", "zona", "stato", "fonte", "esito", "ambito", "tipo", "stato_opportunita", "anno"];

// Which options list fills each <select>.
const OPTION_LISTS = {
  comune: "comune", zona: "zona", stato: "stato", fonte: "fonte", esito: "esito",
  ambito: "ambito", tipo: "tipo", stato_opportunita: "stato_opportunita",
};

/** Fill the selects, set ``initial`` values and call ``onChange(state)`` on every change. */
export function initFilters(form, options, initial, onChange) {
  for (const [name, list] of Object.entries(OPTION_LISTS)) {
    const select = form.elements[name];
    if (!select) continue;
    select.append(new Option(name === "zona" || name === "fonte" ? t("allF") : t("all"), ""));
    for (const option of options[list] || []) select.append(new Option(option.label, option.value));
  }
  for (const key of FILTER_KEYS) if (initial[key]) form.elements[key].value = initial[key];
  const emit = () => onChange(readFilters(form));
  form.addEventListener("change", emit);
  form.addEventListener("submit", (event) => { event.preventDefault(); emit(); });
  form.addEventListener("reset", () => setTimeout(emit, 0));
  return readFilters(form);
}

/** The non-empty filter values of the form. */
export function readFilters(form) {
  const state = {};
  for (const key of FILTER_KEYS) {
    const value = String(form.elements[key].value || "").trim();
    if (value) state[key] = value;
  }
  return state;
}

// Intervento-like layers accept "fonte"; opportunità-like ones accept "tipo". The two "stato"
// controls target one kind each, so an intervento state never reaches an opportunità layer.
function acceptsInterventoStato(q) { return q.includes("stato") && q.includes("fonte"); }
function acceptsOpportunitaStato(q) { return q.includes("stato") && q.includes("tipo"); }

/** The query parameters of ``state`` that a layer with these ``queryables`` accepts. */
export function layerParams(state, queryables) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(state)) {
    if (key === "stato") { if (acceptsInterventoStato(queryables)) params.set("stato", value); }
    else if (key === "stato_opportunita") { if (acceptsOpportunitaStato(queryables)) params.set("stato", value); }
    else if (queryables.includes(key)) params.set(key, value);
  }
  return params;
}

/** Parameters for the interventi statistics endpoints. */
export function interventiParams(state) {
  return layerParams(state, ["comune", "zona", "stato", "fonte", "esito", "ambito", "anno"]);
}

/** Parameters for the opportunità statistics endpoints. */
export function opportunitaParams(state) {
  return layerParams(state, ["comune", "zona", "stato", "tipo"]);
}
