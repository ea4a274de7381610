"""Who gets in: create, unlock, restore or back up the database, its passphrase, and locking."""
