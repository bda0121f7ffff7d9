"""Texts of the bulk answer pages (offline questionnaires, imports and their jobs), EN and FR."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "bulk.link": {"en": "Bulk answers", "fr": "Réponses en masse"},
    "bulk.title": {"en": "Bulk answers", "fr": "Réponses en masse"},
    "bulk.heading": {"en": "Bulk answers: {title}", "fr": "Réponses en masse : {title}"},
    "bulk.intro": {
        "en": "Officers who answer offline each fill in their own workbook: download one "
        "workbook per officer, have them type their e-mail address on its first sheet and "
        "their answers in the yellow cells, then upload the filled workbooks here.",
        "fr": "Les agents qui répondent hors ligne remplissent chacun leur propre classeur : "
        "téléchargez un classeur par agent, faites-leur saisir leur adresse électronique sur "
        "la première feuille et leurs réponses dans les cellules jaunes, puis déposez ici les "
        "classeurs remplis.",
    },
    "bulk.private": {
        "en": "The answers are private to your administration. The results are a starting "
        "point for internal discussion, not a benchmark.",
        "fr": "Les réponses restent propres à votre administration. Les résultats servent de "
        "point de départ à la discussion interne ; ce n'est pas un classement.",
    },
    "bulk.download": {"en": "Download the questionnaire", "fr": "Télécharger le questionnaire"},
    "bulk.download_help": {
        "en": "The workbook lists this assessment's respondents. The CSV and JSON templates "
        "hold one line (or entry) per question, for answers prepared in another tool.",
        "fr": "Le classeur propose la liste des répondants de cette évaluation. Les modèles "
        "CSV et JSON contiennent une ligne (ou une entrée) par question, pour des réponses "
        "préparées dans un autre outil.",
    },
    "bulk.xlsx_fr": {"en": "Workbook (Excel), in French", "fr": "Classeur (Excel) en français"},
    "bulk.xlsx_en": {"en": "Workbook (Excel), in English", "fr": "Classeur (Excel) en anglais"},
    "bulk.csv": {"en": "CSV template", "fr": "Modèle CSV"},
    "bulk.json": {"en": "JSON template", "fr": "Modèle JSON"},
    "bulk.upload": {
        "en": "Upload filled questionnaires",
        "fr": "Déposer des questionnaires remplis",
    },
    "bulk.files": {"en": "Files (.xlsx, .csv or .json)", "fr": "Fichiers (.xlsx, .csv ou .json)"},
    "bulk.files_help": {
        "en": "Several files at once if you like: at most {files} files of {size} MiB each.",
        "fr": "Plusieurs fichiers à la fois si vous le souhaitez : au plus {files} fichiers de "
        "{size} Mio chacun.",
    },
    "bulk.mode": {"en": "If a row is wrong", "fr": "Si une ligne est erronée"},
    "bulk.mode.all_or_nothing": {
        "en": "All or nothing: store nothing if a row is wrong",
        "fr": "Tout ou rien : ne rien enregistrer si une ligne est erronée",
    },
    "bulk.mode.accept_valid": {
        "en": "Store the valid rows and report the others",
        "fr": "Enregistrer les lignes valides et signaler les autres",
    },
    "bulk.send": {"en": "Upload and import", "fr": "Déposer et importer"},
    "bulk.sending": {"en": "Uploading…", "fr": "Envoi en cours…"},
    "bulk.no_file": {"en": "Choose at least one file.", "fr": "Choisissez au moins un fichier."},
    "bulk.failed": {"en": "The upload failed", "fr": "Le dépôt a échoué"},
    "bulk.network": {
        "en": "The server could not be reached: try again.",
        "fr": "Le serveur est injoignable : réessayez.",
    },
    "bulk.needs_script": {
        "en": "Uploading files needs JavaScript in this browser.",
        "fr": "Le dépôt de fichiers nécessite JavaScript dans ce navigateur.",
    },
    "bulk.closed": {
        "en": "This assessment is submitted: answers can no longer be imported into it.",
        "fr": "Cette évaluation est soumise : on ne peut plus y importer de réponses.",
    },
    "bulk.jobs": {"en": "Imports of this assessment", "fr": "Imports de cette évaluation"},
    "bulk.no_jobs": {"en": "No import yet.", "fr": "Aucun import pour le moment."},
    "bulk.col.created": {"en": "Uploaded", "fr": "Déposé le"},
    "bulk.col.files": {"en": "Files", "fr": "Fichiers"},
    "bulk.col.mode": {"en": "Mode", "fr": "Mode"},
    "bulk.col.status": {"en": "Status", "fr": "Statut"},
    "bulk.col.progress": {"en": "Progress", "fr": "Avancement"},
    "bulk.col.problems": {"en": "Problems", "fr": "Problèmes"},
    "bulk.col.stored": {"en": "Answers stored", "fr": "Réponses enregistrées"},
    "bulk.col.file": {"en": "File", "fr": "Fichier"},
    "bulk.col.sheet": {"en": "Sheet", "fr": "Feuille"},
    "bulk.col.row": {"en": "Row", "fr": "Ligne"},
    "bulk.col.column": {"en": "Column", "fr": "Colonne"},
    "bulk.col.reason": {"en": "Reason", "fr": "Motif"},
    "bulk.short.all_or_nothing": {"en": "All or nothing", "fr": "Tout ou rien"},
    "bulk.short.accept_valid": {"en": "Valid rows", "fr": "Lignes valides"},
    "bulk.open_job": {"en": "Details", "fr": "Détails"},
    "bulk.status.queued": {"en": "Queued", "fr": "En attente"},
    "bulk.status.running": {"en": "Running", "fr": "En cours"},
    "bulk.status.succeeded": {"en": "Imported", "fr": "Importé"},
    "bulk.status.completed_with_errors": {
        "en": "Imported with errors",
        "fr": "Importé avec des erreurs",
    },
    "bulk.status.rejected": {"en": "Rejected", "fr": "Refusé"},
    "bulk.status.failed": {"en": "Failed", "fr": "Échoué"},
    "bulk.explain.queued": {
        "en": "The import is waiting for the importer; this page follows it.",
        "fr": "L'import attend l'importateur ; cette page en suit l'avancement.",
    },
    "bulk.explain.running": {
        "en": "The rows are being checked and stored; this page follows them.",
        "fr": "Les lignes sont en cours de contrôle et d'enregistrement ; cette page en suit "
        "l'avancement.",
    },
    "bulk.explain.succeeded": {
        "en": "Every row was imported.",
        "fr": "Toutes les lignes ont été importées.",
    },
    "bulk.explain.completed_with_errors": {
        "en": "The valid rows were stored; the rows listed below were not: correct them and "
        "upload them again.",
        "fr": "Les lignes valides ont été enregistrées, pas celles listées ci-dessous : "
        "corrigez-les et déposez-les à nouveau.",
    },
    "bulk.explain.rejected": {
        "en": "Nothing was stored, as some rows are wrong: correct them and upload the files "
        "again (or choose to store the valid rows).",
        "fr": "Rien n'a été enregistré, car des lignes sont erronées : corrigez-les et déposez "
        "à nouveau les fichiers (ou choisissez d'enregistrer les lignes valides).",
    },
    "bulk.explain.failed": {
        "en": "The import stopped on an unexpected error.",
        "fr": "L'import s'est arrêté sur une erreur inattendue.",
    },
    "bulk.job_title": {"en": "Import of answers", "fr": "Import de réponses"},
    "bulk.job_of": {"en": "Assessment: {title}", "fr": "Évaluation : {title}"},
    "bulk.job_files": {"en": "Files: {names}", "fr": "Fichiers : {names}"},
    "bulk.progress": {"en": "Progress of the import", "fr": "Avancement de l'import"},
    "bulk.rows": {"en": "{done} of {total} rows", "fr": "{done} lignes sur {total}"},
    "bulk.rows_unknown": {"en": "{done} rows", "fr": "{done} lignes"},
    "bulk.errors_so_far": {"en": "Problems so far: {count}", "fr": "Problèmes relevés : {count}"},
    "bulk.refresh": {"en": "Refresh", "fr": "Actualiser"},
    "bulk.summary": {"en": "Summary", "fr": "Bilan"},
    "bulk.stored": {"en": "Answers stored: {count}", "fr": "Réponses enregistrées : {count}"},
    "bulk.problems_count": {"en": "Problems: {count}", "fr": "Problèmes : {count}"},
    "bulk.report": {"en": "Error report", "fr": "Rapport d'erreurs"},
    "bulk.report_csv": {"en": "Error report (CSV)", "fr": "Rapport d'erreurs (CSV)"},
    "bulk.report_xlsx": {"en": "Error report (Excel)", "fr": "Rapport d'erreurs (Excel)"},
    "bulk.first_problems": {"en": "First problems", "fr": "Premiers problèmes"},
    "bulk.more_problems": {
        "en": "{shown} of {total} problems shown: the error report lists them all.",
        "fr": "{shown} problèmes affichés sur {total} : le rapport d'erreurs les liste tous.",
    },
    "bulk.results": {"en": "See the results", "fr": "Voir les résultats"},
    "bulk.back": {"en": "Back to the bulk answers", "fr": "Retour aux réponses en masse"},
    "bulk.back_dashboard": {"en": "Back to the assessments", "fr": "Retour aux évaluations"},
}
