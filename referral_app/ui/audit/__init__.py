"""The audit log page and its paged model."""
