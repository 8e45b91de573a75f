"""Rendering: the Jinja environment, CLDR filters, one writer per channel kind, the build."""
