"""Bulk answers: the offline answer workbook and templates, reading uploads, importing them."""
