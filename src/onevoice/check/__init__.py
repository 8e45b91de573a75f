"""Checking outputs against the source: the rule families, the registry, the orchestration."""
