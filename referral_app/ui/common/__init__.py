"""What every feature uses: settings, privacy mode, preferences, resources, diagnostics."""
