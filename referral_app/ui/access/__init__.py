"""Who gets in: create, unlock, restore or back up the database, its passphrase, and locking
(when to lock in lock.py and session_events.py, what locking does in locking.py)."""
