"""Rendering documents: the document model (document.py), DOCX and PDF writers, charts and
fonts. A library below every app: it depends only on core.formatting, so any app may print
(docs/architecture.md)."""
