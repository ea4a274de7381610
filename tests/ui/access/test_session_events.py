"""The app locks when the computer does: on Linux through D-Bus (tested on a private bus the
test starts, standing in for both the system and the session bus), on Windows and macOS
through the functions that read their messages."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtDBus import QDBusConnection, QDBusMessage
from pytestqt.qtbot import QtBot

from referral_app.storage.db import Database
from referral_app.storage.repository import Repository
from referral_app.ui.access.session_events import (
    PBT_APMSUSPEND,
    WM_POWERBROADCAST,
    WM_WTSSESSION_CHANGE,
    macos_lock_reason,
    windows_lock_reason,
)
from referral_app.ui.common.privacy import PrivacyMode
from referral_app.ui.common.settings import Settings
from referral_app.ui.window.main_window import MainWindow


@pytest.fixture
def private_bus() -> Iterator[str]:
    """A D-Bus daemon of the test's own (Debian's dbus-daemon), its address."""
    daemon = shutil.which("dbus-daemon")
    if daemon is None:
        pytest.skip("dbus-daemon is not installed")
    process = subprocess.Popen(
        [daemon, "--session", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        yield process.stdout.readline().strip()
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


@pytest.fixture
def window(qtbot: QtBot, ui_repository: Repository, tmp_path: Path) -> Iterator[MainWindow]:
    settings = Settings(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    privacy = PrivacyMode(QSettings(str(tmp_path / "privacy.ini"), QSettings.Format.IniFormat))
    main = MainWindow(settings=settings, repository=ui_repository, privacy=privacy)
    qtbot.addWidget(main)
    main.show()
    yield main


def _connect(address: str) -> QDBusConnection:
    bus = QDBusConnection.connectToBus(address, f"test-{uuid.uuid4().hex}")
    assert bus.isConnected()
    return bus


SIGNALS = {
    "sleep": (
        "/org/freedesktop/login1",
        "org.freedesktop.login1.Manager",
        "PrepareForSleep",
        [True],
    ),
    "session lock": (
        "/org/freedesktop/login1/session/_32",
        "org.freedesktop.login1.Session",
        "Lock",
        [],
    ),
    "screensaver": (
        "/org/freedesktop/ScreenSaver",
        "org.freedesktop.ScreenSaver",
        "ActiveChanged",
        [True],
    ),
    "gnome screensaver": (
        "/org/gnome/ScreenSaver",
        "org.gnome.ScreenSaver",
        "ActiveChanged",
        [True],
    ),
}


@pytest.mark.parametrize("kind", list(SIGNALS))
def test_the_app_locks_when_the_desktop_says_so_over_dbus(
    qtbot: QtBot, window: MainWindow, ui_database: Database, private_bus: str, kind: str
) -> None:
    bus = _connect(private_bus)
    window.session_events.listen_on_dbus(bus, bus)
    assert len(window.session_events.listening) >= 5
    path, interface, name, arguments = SIGNALS[kind]
    message = QDBusMessage.createSignal(path, interface, name)
    message.setArguments(arguments)
    sender = _connect(private_bus)
    with qtbot.waitSignal(window.locked, timeout=10_000):
        assert sender.send(message)
    assert window.is_locked
    assert not ui_database.is_open


def test_waking_up_and_the_screensaver_ending_do_not_lock(
    qtbot: QtBot, window: MainWindow, private_bus: str
) -> None:
    bus = _connect(private_bus)
    window.session_events.listen_on_dbus(bus, bus)
    sender = _connect(private_bus)
    for path, interface, name, _arguments in (SIGNALS["sleep"], SIGNALS["screensaver"]):
        message = QDBusMessage.createSignal(path, interface, name)
        message.setArguments([False])
        assert sender.send(message)
    # A signal that does lock, sent after them: the first lock must be this one.
    reasons: list[str] = []
    window.session_events.lock_requested.connect(reasons.append)
    path, interface, name, _arguments = SIGNALS["session lock"]
    with qtbot.waitSignal(window.locked, timeout=10_000):
        assert sender.send(QDBusMessage.createSignal(path, interface, name))
    assert reasons == ["session locked"]


@pytest.mark.parametrize(
    ("message", "wparam", "reason"),
    [
        (WM_WTSSESSION_CHANGE, 0x7, "session locked"),
        (WM_WTSSESSION_CHANGE, 0x2, "console disconnected"),
        (WM_WTSSESSION_CHANGE, 0x4, "remote session disconnected"),
        (WM_WTSSESSION_CHANGE, 0x6, "logged off"),
        (WM_WTSSESSION_CHANGE, 0x8, None),  # unlocked
        (WM_WTSSESSION_CHANGE, 0x1, None),  # console connected
        (WM_POWERBROADCAST, PBT_APMSUSPEND, "suspending"),
        (WM_POWERBROADCAST, 0x12, None),  # resuming
        (0x0100, 0x7, None),  # a key press
    ],
)
def test_windows_messages(message: int, wparam: int, reason: str | None) -> None:
    assert windows_lock_reason(message, wparam) == reason


@pytest.mark.parametrize(
    ("name", "locks"),
    [
        ("NSWorkspaceWillSleepNotification", True),
        ("NSWorkspaceScreensDidSleepNotification", True),
        ("NSWorkspaceSessionDidResignActiveNotification", True),
        ("com.apple.screenIsLocked", True),
        ("NSWorkspaceDidWakeNotification", False),
        ("com.apple.screenIsUnlocked", False),
    ],
)
def test_macos_notifications(name: str, locks: bool) -> None:
    assert (macos_lock_reason(name) is not None) is locks
