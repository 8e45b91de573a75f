"""What the build publishes and the check reads: the facts both must agree on.

The layer between the project and the two pipelines: the typed manifest of a build
(manifest.py), where each output is published and how a channel writes amounts
(published.py, filters.py). The build writes by these facts and the check reads by them,
so neither imports the other.
"""
