"""Pure Python: the rules and records of the domain, with no Qt and no database."""
