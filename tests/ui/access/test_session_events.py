"""The app locks when the computer does: on Linux through D-Bus (tested on a private bus the
test starts, standing in for both the system and the session bus), on Windows and macOS
through the functions that read their messages, and the wiring each platform's branch of
``SessionWatcher.start`` does (with the platform's own calls stood in for)."""

from __future__ import annotations

import ctypes
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtDBus import QDBusConnection, QDBusMessage
from pytestqt.qtbot import QtBot

from referral_app.storage.db import Database
from referral_app.storage.repository import Repository
from referral_app.ui.access import session_events
from referral_app.ui.access.session_events import (
    MACOS_NOTIFICATIONS,
    PBT_APMSUSPEND,
    WM_POWERBROADCAST,
    WM_WTSSESSION_CHANGE,
    SessionWatcher,
    WindowsFilter,
    WindowsMessage,
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


MACOS_REASONS = {
    "NSWorkspaceWillSleepNotification": "going to sleep",
    "NSWorkspaceScreensDidSleepNotification": "screens asleep",
    "NSWorkspaceSessionDidResignActiveNotification": "session switched",
    "com.apple.screenIsLocked": "screen locked",
    "NSWorkspaceDidWakeNotification": None,
    "NSWorkspaceScreensDidWakeNotification": None,
    "NSWorkspaceSessionDidBecomeActiveNotification": None,
    "com.apple.screenIsUnlocked": None,
    "": None,
}


@pytest.mark.parametrize(("name", "reason"), list(MACOS_REASONS.items()))
def test_macos_notifications(name: str, reason: str | None) -> None:
    assert macos_lock_reason(name) == reason


class FakeCocoa:
    """Stands in for pyobjc's notification centres: records what is observed, posts on
    demand, and records what is stopped."""

    def __init__(self) -> None:
        self.observed: dict[tuple[str, str], Callable[[str], None]] = {}
        self.stopped: list[tuple[str, str]] = []

    def observe(self, centre: str, name: str, handler: Callable[[str], None]) -> Callable[[], None]:
        self.observed[centre, name] = handler
        return lambda: self.stopped.append((centre, name))

    def post(self, centre: str, name: str) -> None:
        self.observed[centre, name](name)


def test_on_macos_each_notification_is_observed_on_its_centre_and_locks(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    cocoa = FakeCocoa()
    monkeypatch.setattr(session_events, "cocoa_observer", lambda: cocoa.observe)
    watcher = SessionWatcher()
    with monkeypatch.context() as patch:
        patch.setattr(sys, "platform", "darwin")
        listening = watcher.start()
    assert set(cocoa.observed) == {
        ("workspace", "NSWorkspaceWillSleepNotification"),
        ("workspace", "NSWorkspaceScreensDidSleepNotification"),
        ("workspace", "NSWorkspaceSessionDidResignActiveNotification"),
        ("distributed", "com.apple.screenIsLocked"),
    }
    assert listening == [name for _centre, name in MACOS_NOTIFICATIONS]
    for centre, name in MACOS_NOTIFICATIONS:
        with qtbot.waitSignal(watcher.lock_requested, timeout=1_000) as blocker:
            cocoa.post(centre, name)
        assert blocker.args == [MACOS_REASONS[name]]
    # Once the watcher is gone, nothing is observed any more.
    shiboken6.delete(watcher)
    assert sorted(cocoa.stopped) == sorted(cocoa.observed)


def test_on_macos_the_window_locks_when_the_screen_does(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    ui_repository: Repository,
    ui_database: Database,
    tmp_path: Path,
) -> None:
    cocoa = FakeCocoa()
    monkeypatch.setattr(session_events, "cocoa_observer", lambda: cocoa.observe)
    settings = Settings(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    privacy = PrivacyMode(QSettings(str(tmp_path / "privacy.ini"), QSettings.Format.IniFormat))
    with monkeypatch.context() as patch:
        patch.setattr(sys, "platform", "darwin")
        main = MainWindow(settings=settings, repository=ui_repository, privacy=privacy)
    qtbot.addWidget(main)
    main.show()
    with qtbot.waitSignal(main.locked, timeout=10_000):
        cocoa.post("distributed", "com.apple.screenIsLocked")
    assert main.is_locked
    assert not ui_database.is_open


def test_on_macos_without_pyobjc_nothing_is_listened_to(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    watcher = SessionWatcher()
    with monkeypatch.context() as patch:
        patch.setattr(sys, "platform", "darwin")
        assert watcher.start() == []
    assert "pyobjc is not installed" in caplog.text
    shiboken6.delete(watcher)


def _native(filter_: WindowsFilter, kind: bytes, message: int, wparam: int) -> object:
    msg = WindowsMessage(hwnd=None, message=message, wParam=wparam, lParam=0)
    return filter_.nativeEventFilter(QByteArray(kind), ctypes.addressof(msg))


def test_windows_native_filter_reads_the_message_and_never_swallows_it(qtbot: QtBot) -> None:
    watcher = SessionWatcher()
    filter_ = WindowsFilter(watcher)
    reasons: list[str] = []
    watcher.lock_requested.connect(reasons.append)
    assert _native(filter_, b"windows_generic_MSG", WM_WTSSESSION_CHANGE, 0x7) == (False, 0)
    assert _native(filter_, b"windows_generic_MSG", WM_POWERBROADCAST, PBT_APMSUSPEND) == (
        False,
        0,
    )
    _native(filter_, b"windows_generic_MSG", WM_WTSSESSION_CHANGE, 0x8)  # unlocked
    _native(filter_, b"xcb_generic_event_t", WM_WTSSESSION_CHANGE, 0x7)  # not Windows'
    assert reasons == ["session locked", "suspending"]
    shiboken6.delete(watcher)


def test_on_windows_start_installs_the_native_filter(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    watcher = SessionWatcher()
    with monkeypatch.context() as patch:
        patch.setattr(sys, "platform", "win32")
        assert watcher.start() == ["windows messages"]
    shiboken6.delete(watcher)  # and with it the filter, which takes itself off the app
