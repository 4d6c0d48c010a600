"""Messages of the upload pipeline, written for a municipal clerk; tests reuse them.

Placeholders: ``{file}`` the uploaded file's name as the user gave it (shown, never used as a
path), ``{feature}`` the 1-based feature number, ``{field}`` a field or column name.
"""

from django.utils.translation import gettext_lazy as _

# File level
TOO_LARGE = _("Il file «{file}» pesa {size} MB: il massimo consentito è {limit} MB.")
EMPTY_FILE = _("Il file «{file}» è vuoto.")
UNKNOWN_FORMAT = _(
    "Il file «{file}» non è in un formato accettato: carica un GeoJSON (.geojson), uno "
    "shapefile compresso (.zip con .shp, .shx, .dbf, .prj), un GeoPackage (.gpkg) o un KML/KMZ."
)
CONTENT_MISMATCH = _(
    "Il contenuto del file «{file}» non corrisponde alla sua estensione .{ext}: il file è "
    "danneggiato o non è quello che sembra."
)
TOO_COMPLEX = _(
    "Il file «{file}» non si può leggere nei limiti di tempo e memoria: è troppo complesso o "
    "danneggiato. Semplificalo o dividilo in più file."
)
GEOJSON_TOO_DEEP = _(
    "Il file GeoJSON «{file}» ha parentesi annidate troppo in profondità: non è un GeoJSON valido."
)
GEOJSON_REFUSED = _("Il file GeoJSON «{file}» non è JSON valido: {reason}")
GEOJSON_NOT_FINITE = _("contiene il valore «{value}», che JSON non ammette.")
GEOJSON_DUPLICATE_KEY = _("la chiave «{key}» compare due volte nello stesso oggetto.")
GEOJSON_CRS_UNKNOWN = _(
    "Il file GeoJSON «{file}» dichiara un sistema di riferimento che non è un codice EPSG "
    "riconosciuto ({crs}): indica nel modulo il sistema di riferimento delle coordinate, "
    "oppure togli il membro «crs» se le coordinate sono in WGS 84."
)
ZIP_DUPLICATE = _(
    "Il file compresso «{file}» contiene due volte il file {member}: lascia una sola copia."
)
PRJ_NOT_WKT = _(
    "Il file .prj dello shapefile «{file}» non è una definizione WKT di un sistema di "
    "riferimento: sostituiscilo con il .prj esportato dal GIS, oppure toglilo e indica il "
    "sistema di riferimento nel modulo."
)
ZIP_BROKEN = _("Il file compresso «{file}» è danneggiato e non si può aprire.")
ZIP_UNSAFE_NAME = _(
    "Il file compresso «{file}» contiene un percorso non ammesso ({member}): sono accettati solo "
    "file senza cartelle esterne né percorsi speciali."
)
ZIP_LINK = _(
    "Il file compresso «{file}» contiene un collegamento simbolico ({member}): non è ammesso."
)
ZIP_TOO_MANY = _(
    "Il file compresso «{file}» contiene {count} file: il massimo è {limit}. Carica solo lo "
    "shapefile (.shp, .shx, .dbf, .prj, .cpg)."
)
ZIP_TOO_BIG = _(
    "Il file compresso «{file}» si espanderebbe a più di {limit} MB: non può essere elaborato."
)
ZIP_NO_SHAPEFILE = _("Il file compresso «{file}» non contiene nessun file .shp.")
ZIP_MANY_SHAPEFILES = _(
    "Il file compresso «{file}» contiene più shapefile ({names}): caricane uno per volta."
)
ZIP_MISSING_PART = _(
    "Nello shapefile «{file}» manca il file {ext}, indispensabile: aggiungilo al file compresso."
)
MISSING_PRJ = _(
    "Nello shapefile «{file}» manca il file .prj (sistema di riferimento): aggiungilo al file "
    "compresso oppure indica nel modulo il sistema di riferimento delle coordinate."
)
NO_CRS = _(
    "Il file «{file}» non dichiara il sistema di riferimento delle coordinate: indicalo nel "
    "modulo (es. EPSG:32632 UTM 32N, EPSG:3003 Gauss-Boaga)."
)
CRS_NOT_ALLOWED = _(
    "Il sistema di riferimento del file «{file}» ({crs}) non è tra quelli accettati: "
    "{allowed}. Riproietta il file in uno di questi."
)
CRS_STATED_NOT_ALLOWED = _("Il sistema di riferimento indicato ({crs}) non è tra quelli accettati.")
KML_EXTERNAL = _(
    "Il file KML «{file}» contiene riferimenti a risorse esterne ({what}): non sono ammessi. "
    "Esporta di nuovo il file senza collegamenti di rete."
)
KML_DOCTYPE = _("Il file KML «{file}» contiene dichiarazioni DOCTYPE/ENTITY: non sono ammesse.")
KMZ_NO_KML = _("Il file KMZ «{file}» non contiene un documento .kml.")
GPKG_MANY_LAYERS = _(
    "Il GeoPackage «{file}» contiene più livelli ({names}): caricane uno per file."
)
NOT_UTF8 = _(
    "Il file «{file}» non è codificato in UTF-8 (alcuni caratteri, es. lettere accentate, non "
    "si leggono): salvalo in UTF-8."
)
NEEDS_ENCODING = _(
    "Nello shapefile «{file}» manca il file .cpg (codifica dei caratteri) e gli attributi "
    "contengono lettere accentate: indica nel modulo la codifica (es. UTF-8 o Windows-1252)."
)
UNREADABLE = _("Il file «{file}» non si può leggere come dato geografico: {reason}")
NO_FEATURES = _("Il file «{file}» non contiene nessun elemento geografico.")
TOO_MANY_FEATURES = _("Il file «{file}» contiene {count} elementi: il massimo è {limit}.")
MIXED_TYPES = _(
    "Il file «{file}» mescola tipi di geometria diversi ({types}): ogni file deve contenere "
    "solo punti, solo linee o solo poligoni."
)
COORDS_OUT_OF_RANGE = _(
    "Le coordinate del file «{file}» sono fuori dai limiti possibili per {crs}: il sistema di "
    "riferimento dichiarato è probabilmente sbagliato."
)
MAPPING_UNKNOWN_COLUMN = _("La colonna «{column}» scelta per il campo «{field}» non è nel file.")
NOTHING_TO_COMMIT = _("Non c'è nessun caricamento da confermare: carica di nuovo il file.")
REPORT_HAS_ERRORS = _(
    "Il file «{file}» ha {count} elementi con errori: correggili e caricalo di nuovo. Nessun "
    "dato è stato salvato."
)

# Notes (not errors)
NOTE_Z_DROPPED = _("Le quote (Z) e le misure (M) sono state ignorate: si salvano solo X e Y.")
NOTE_SIDECAR_IGNORED = _("File accessori ignorati: {names}.")
NOTE_REPROJECTED = _("Coordinate convertite da {crs} a WGS 84 (EPSG:4326).")
NOTE_CPG_IGNORED = _(
    "Il file .cpg non indica una codifica riconosciuta (UTF-8, Windows-1252, ISO-8859-1, "
    "ISO-8859-15) ed è stato ignorato."
)
NOTE_ENCODING = _("Attributi letti con la codifica {encoding}.")

# Feature level
F_NO_GEOMETRY = _("Elemento {feature}: non ha geometria.")
F_INVALID_GEOMETRY = _(
    "Elemento {feature}: la geometria non è valida ({reason}). Spunta «Correggi le geometrie» "
    "per ripararla automaticamente."
)
F_INVALID_UNFIXABLE = _(
    "Elemento {feature}: la geometria non è valida ({reason}) e non si può correggere "
    "automaticamente senza cambiarne il tipo."
)
F_FIXED = _("Elemento {feature}: geometria corretta automaticamente (make_valid).")
F_WRONG_TYPE = _("Elemento {feature}: la geometria è di tipo {type}, ma {model} richiede {wanted}.")
F_OUTSIDE_CMM = _(
    "Elemento {feature}: si trova fuori dalla Città metropolitana di Milano (nessun Comune "
    "della CMM lo contiene)."
)
F_OUTSIDE_OPERATOR = _(
    "Elemento {feature}: ricade nel Comune di {comuni}, per cui non sei abilitato a inserire dati."
)
F_REQUIRED = _("Elemento {feature}: il campo «{field}» è obbligatorio ed è vuoto.")
F_BAD_CHOICE = _(
    "Elemento {feature}: il campo «{field}» vale «{value}», ma sono ammessi solo: {allowed}."
)
F_BAD_NUMBER = _(
    "Elemento {feature}: il campo «{field}» vale «{value}», che non è un numero valido."
)
F_NEGATIVE = _("Elemento {feature}: il campo «{field}» non può essere negativo.")
F_BAD_YEAR = _("Elemento {feature}: il campo «{field}» vale «{value}», che non è un anno valido.")
F_YEARS_ORDER = _("Elemento {feature}: l'anno di fine è precedente all'anno di inizio.")
F_BAD_CUP = _(
    "Elemento {feature}: il CUP «{value}» non è valido (15 caratteri: lettera, 2 cifre, lettera, "
    "11 cifre, es. C47H21001030001)."
)
F_DUPLICATE_CUP = _("Elemento {feature}: il CUP «{value}» è già presente {where}.")
F_FUNDING_OVER_COST = _(
    "Elemento {feature}: l'importo finanziato ({funding} €) supera il costo totale ({cost} €)."
)
F_TOO_LONG = _("Elemento {feature}: il campo «{field}» supera i {limit} caratteri.")
