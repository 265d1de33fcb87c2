"""Pages of the PAR index evaluation (split by the work they serve)."""
