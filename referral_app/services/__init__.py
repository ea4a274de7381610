"""Work that is neither storage nor widgets: summaries, export and import, audit."""
