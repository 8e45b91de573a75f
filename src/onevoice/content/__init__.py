"""The source model (offers, conditions, journeys, ...) and its loader."""
