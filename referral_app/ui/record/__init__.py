"""One referral as a record: read it, edit a section, move its status on, or delete it."""
