"""Where PDFs and exports are saved: never offered in a cloud-synced folder, and a warning
before one is written there, since a sync client would copy survivors' details off the
laptop (Windows often moves Documents into OneDrive without saying so)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QMessageBox, QWidget

from referral_app.storage import location


def default_save_folder() -> Path:
    """Documents, or the home folder when Documents is synced, or Documents after all (the
    warning below then comes when saving)."""
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    candidates = [Path(folder) for folder in (documents, str(Path.home())) if folder]
    for folder in candidates:
        if location.cloud_service(folder.absolute()) is None:
            return folder
    return candidates[0]


def confirm_save_location(parent: QWidget | None, path: Path) -> bool:
    """True to go ahead: the folder is not synced, or the advocate chose to save there."""
    service = location.cloud_service(location.existing_parent(path)) or location.cloud_service(
        path.absolute()
    )
    if service is None:
        return True
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Save in a synced folder?")
    box.setText(f"This folder is synced to the internet by {service}.")
    box.setInformativeText(
        "The file holds survivors' personal details; a copy would be kept by the sync service "
        "and on every device that syncs this folder. Save it in a folder that is not synced "
        "unless your organisation has agreed to this one."
    )
    box.setStandardButtons(QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel)
    box.button(QMessageBox.StandardButton.Save).setText("Save here anyway")
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    return box.exec() == QMessageBox.StandardButton.Save
