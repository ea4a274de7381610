"""Export and import dialogs.

Entry points for the main window, the referral list and the record view (each dialog is
modal; call ``exec()`` or ``open()``)::

    from referral_app.ui.transfer import ExportDialog, ImportDialog

    # File menu, "Export all referrals…": the whole caseload, for a new computer
    ExportDialog.for_everything(repository, parent, privacy=privacy).exec()
    # Referral list, "Export selected…", and the record view, "Export this referral…"
    ExportDialog.for_referrals(repository, [referral_id, ...], parent, privacy=privacy).exec()
    # Record view, "Export everything about this survivor…" (subject access request):
    # every referral whose survivor's name (or a previous name) and date of birth could be
    # the same, listed for the advocate to check, the one it was opened from always included
    ExportDialog.for_survivor(repository, referral_id, parent, privacy=privacy).exec()

    # File menu, "Import referrals…"; refresh the list and dashboard afterwards
    dialog = ImportDialog(repository, parent, privacy=privacy)
    dialog.imported.connect(lambda ids: ...)  # the ids added or replaced, after the commit
    dialog.exec()

``privacy`` is optional (names are masked in privacy mode). Both dialogs say what happened in
``state_changed`` and keep no passphrase after they close; the export dialog clears the
clipboard of its passphrase when it closes and when the app quits.
"""

from referral_app.ui.transfer.export_dialog import ExportDialog
from referral_app.ui.transfer.import_dialog import ImportDialog

__all__ = ["ExportDialog", "ImportDialog"]
