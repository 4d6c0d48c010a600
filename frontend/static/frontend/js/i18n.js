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
    featureOne: "elemento",
    featureMany: "elementi",
    alsoHere: "Altri elementi in questo punto",
    zoomInTitle: "Ingrandisci",
    zoomOutTitle: "Riduci",
    basemapDown: "Mappa di base non raggiungibile: sono mostrati i confini comunali e le stazioni.",
    nothingHere: "Nessun elemento in questo punto.",
    hectares: "ha",
    esito: "Esito del finanziamento",
    listLayer: "Livello",
    listCost: "Costo totale",
    listRequested: "Contributo richiesto",
    listArea: "Superficie",
    listPages: "Pagine dell'elenco",
    linkCopied: "Link copiato negli appunti.",
    filters: "Filtri",
    none: "nessuno",
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
    featureOne: "feature",
    featureMany: "features",
    alsoHere: "Other features at this spot",
    zoomInTitle: "Zoom in",
    zoomOutTitle: "Zoom out",
    basemapDown: "Basemap unreachable: municipal boundaries and stations are shown instead.",
    nothingHere: "No feature at this spot.",
    hectares: "ha",
    esito: "Funding outcome",
    listLayer: "Layer",
    listCost: "Total cost",
    listRequested: "Requested grant",
    listArea: "Area",
    listPages: "List pages",
    linkCopied: "Link copied to the clipboard.",
    filters: "Filters",
    none: "none",
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

const plural = new Intl.PluralRules(lang === "it" ? "it-IT" : "en-GB");

export function formatNumber(n) { return numberFormat.format(n); }
/** "1 elemento", "3 elementi" (plural rules of the page language). */
export function formatCount(n) {
  return `${formatNumber(n)} ${plural.select(n) === "one" ? t("featureOne") : t("featureMany")}`;
}
/** A year as written, never "2,027". */
export function formatYear(n) { return String(n); }
/** An area in m² as people read it: km² from 1 km², hectares below, m² under one hectare. */
export function formatArea(m2) {
  if (m2 >= 1_000_000) return `${formatNumber(Math.round(m2 / 10_000) / 100)} km²`;
  if (m2 >= 10_000) return `${formatNumber(Math.round(m2 / 100) / 100)} ha`;
  return `${formatNumber(Math.round(m2))} m²`;
}
export function formatEuro(n) { return euroFormat.format(n); }
