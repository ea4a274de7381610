"""Printing and saving PDFs: the print dialog and the request-letter editor."""
