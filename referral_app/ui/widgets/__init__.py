"""Reusable widgets: text styles, the error summary, the approximate-date input."""
