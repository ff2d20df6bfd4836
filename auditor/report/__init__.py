"""The report structure (model.py). Output formats live in auditor.formats."""
