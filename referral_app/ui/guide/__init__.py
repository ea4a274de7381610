"""Help: the user guide, about the rules and the support services panel."""
