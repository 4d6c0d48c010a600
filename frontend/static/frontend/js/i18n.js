// Client-side strings, Italian first; the page language comes from <html lang> (Django i18n).
const DICTIONARY = {
  it: {
    all: "Tutti",
    allF: "Tutte",
    features: "elementi",
    sample: "Dato di esempio",
    legend: "Legenda",
    openDetail: "Apri la scheda",
    funding: "Finanziamenti",
    total: "Totale",
    noResults: "Nessun risultato",
    searchError: "Ricerca non disponibile",
    loadError: "Impossibile caricare il livello",
    licence: "Licenza",
    attribution: "Fonte",
    download: "Scarica",
    tiles: "Vector tiles",
    chartFunding: "Finanziamenti per fonte (€)",
    chartState: "Interventi per stato",
    chartHectares: "Ettari di opportunità per Zona omogenea",
    chartsUnavailable: "Grafici non ancora disponibili: le statistiche non sono pubblicate.",
    noData: "Nessun dato per i filtri scelti.",
    zoomIn: "visibile da zoom",
    layerOn: "Mostra il livello",
    featurePanel: "Dettaglio dell'elemento",
    yes: "sì",
    no: "no",
  },
  en: {
    all: "All",
    allF: "All",
    features: "features",
    sample: "Sample record",
    legend: "Legend",
    openDetail: "Open the page",
    funding: "Funding",
    total: "Total",
    noResults: "No results",
    searchError: "Search unavailable",
    loadError: "The layer could not be loaded",
    licence: "Licence",
    attribution: "Source",
    download: "Download",
    tiles: "Vector tiles",
    chartFunding: "Funding by source (€)",
    chartState: "Interventions by state",
    chartHectares: "Opportunity hectares by homogeneous zone",
    chartsUnavailable: "Charts not available yet: statistics are not published.",
    noData: "No data for the chosen filters.",
    zoomIn: "visible from zoom",
    layerOn: "Show the layer",
    featurePanel: "Feature details",
    yes: "yes",
    no: "no",
  },
};

export const lang = (document.documentElement.lang || "it").slice(0, 2) in DICTIONARY
  ? (document.documentElement.lang || "it").slice(0, 2)
  : "it";

/** The translated string for ``key`` (the key itself when missing). */
export function t(key) {
  return DICTIONARY[lang][key] ?? DICTIONARY.it[key] ?? key;
}

/** The text of a {"it": ..., "en": ...} label in the page language. */
export function label(value) {
  if (value == null) return "";
  if (typeof value === "string") return value;
  return value[lang] || value.it || "";
}

const numberFormat = new Intl.NumberFormat(lang === "it" ? "it-IT" : "en-GB", { maximumFractionDigits: 2 });
const euroFormat = new Intl.NumberFormat(lang === "it" ? "it-IT" : "en-GB", { style: "currency", currency: "EUR", maximumFractionDigits: 0 });

export function formatNumber(n) { return numberFormat.format(n); }
export function formatEuro(n) { return euroFormat.format(n); }
