"""Pages of the dossier app: catalogue, calendar, desk, papers, imports, statistics."""
