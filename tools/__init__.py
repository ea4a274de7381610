"""Tools for building the app's bundle and installers (``python -m tools.build``)."""
