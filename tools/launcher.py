"""The bundle's entry point: the same three lines as main.py, outside the source tree so that
PyInstaller finds the package in the staged wheel rather than in the checkout."""

import sys

from referral_app.app import main

sys.exit(main())
