"""Reading outputs as a customer sees them: crawl, visible text per format, mentions."""
