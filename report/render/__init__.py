"""Renderers: a Brief -> HTML (Jinja2) -> PDF (WeasyPrint); a Brief -> Word (python-docx)."""
