"""Keeping and deleting old records: the retention page, its model, settings and delete dialog."""
