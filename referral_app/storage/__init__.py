"""Encrypted storage through SQLAlchemy; no Qt."""
