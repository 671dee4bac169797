"""Text the PDFs and the downloads list show, per language.

Kept beside the code that uses it (not in data/ui.yml) because only these
generated files show it; every key has every language (tests/test_pdf.py).
`{page}`/`{pages}` become CSS page counters in the running footer.
"""
from __future__ import annotations

LABELS = {
    "contents": {"en": "Contents", "es": "Índice", "pt": "Sumário", "fr": "Table des matières"},
    "page_of": {"en": "page {page} of {pages}", "es": "página {page} de {pages}",
                "pt": "página {page} de {pages}", "fr": "page {page} sur {pages}"},
    "reviewed": {"en": "Content reviewed on {date}", "es": "Contenido revisado el {date}",
                 "pt": "Conteúdo revisado em {date}", "fr": "Contenu révisé le {date}"},
    "language": {"en": "Language", "es": "Idioma", "pt": "Idioma", "fr": "Langue"},
    "online": {"en": "Online edition", "es": "Edición en línea", "pt": "Edição on-line",
               "fr": "Édition en ligne"},
    # Downloads list (scripts/downloads.py).
    "file": {"en": "File", "es": "Archivo", "pt": "Arquivo", "fr": "Fichier"},
    "size": {"en": "Size", "es": "Tamaño", "pt": "Tamanho", "fr": "Taille"},
    "pages": {"en": "Pages", "es": "Páginas", "pt": "Páginas", "fr": "Pages"},
    "date": {"en": "Date", "es": "Fecha", "pt": "Data", "fr": "Date"},
    "guides_pdf": {"en": "Guides as PDF files", "es": "Guías en PDF",
                   "pt": "Guias em PDF", "fr": "Guides en PDF"},
    "offline_zip": {"en": "Offline copy of the site", "es": "Copia del sitio sin conexión",
                    "pt": "Cópia do site para uso sem conexão", "fr": "Copie du site hors ligne"},
    "offline_how": {
        "en": "Unzip the file and open {start} in a web browser: pages and search work without a connection.",
        "es": ("Descomprima el archivo y abra {start} en un navegador: "
               "las páginas y la búsqueda funcionan sin conexión."),
        "pt": ("Descompacte o arquivo e abra {start} em um navegador: "
               "as páginas e a busca funcionam sem conexão."),
        "fr": ("Décompressez le fichier et ouvrez {start} dans un navigateur : "
               "les pages et la recherche fonctionnent sans connexion."),
    },
    "offline_included": {
        "en": "The PDF files in this copy of the site:",
        "es": "Los archivos PDF incluidos en esta copia del sitio:",
        "pt": "Os arquivos PDF incluídos nesta cópia do site:",
        "fr": "Les fichiers PDF inclus dans cette copie du site :",
    },
    "checksum": {
        "en": "The SHA-256 checksum lets you confirm that a file arrived complete and unchanged.",
        "es": "La suma de comprobación SHA-256 permite confirmar que un archivo llegó completo y sin cambios.",
        "pt": "A soma de verificação SHA-256 permite confirmar que um arquivo chegou completo e sem alterações.",
        "fr": "L'empreinte SHA-256 permet de vérifier qu'un fichier est arrivé complet et sans modification.",
    },
}


def label(key: str, lang: str, **fields) -> str:
    entry = LABELS[key]
    text = entry.get(lang) or entry["en"]
    return text.format(**fields) if fields else text
