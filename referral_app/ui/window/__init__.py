"""The shell: main window, menus and start page; uses every feature, used by app.py only."""
