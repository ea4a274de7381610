"""Lock when the computer does: sleep, the screen locking, or the session switching away.

An advocate who closes the laptop lid, or whose screen locks itself, expects the app to be
locked too when it comes back, whatever its own idle time says. Each platform says so its
own way; the part that reads the platform's message is a small function here, tested on its
own, and :class:`SessionWatcher` turns what it reads into ``lock_requested``:

- Linux: D-Bus signals through Qt's D-Bus module: logind's ``PrepareForSleep(true)`` and a
  session's ``Lock`` on the system bus, and the screensaver's ``ActiveChanged(true)`` on the
  session bus (freedesktop's and GNOME's names);
- Windows: ``WM_WTSSESSION_CHANGE`` (locked, disconnected, logged off) and
  ``WM_POWERBROADCAST`` (suspending), seen by a native event filter on the app;
- macOS: the workspace's will-sleep, screens-did-sleep and session-resigned notifications,
  and the screen-lock notification, observed through pyobjc (:func:`cocoa_observer`, imported
  only on macOS): :func:`macos_lock_reason` reads their names. Qt's event loop on macOS is the
  Cocoa run loop, so they arrive while the app runs; they are delivered on the main queue,
  which is Qt's thread.
"""

from __future__ import annotations

import ctypes
import logging
import sys
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QAbstractNativeEventFilter, QByteArray, QObject, Signal, Slot
from PySide6.QtDBus import QDBusConnection
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

# Linux: who sends what, and on which bus.
LOGIN1 = "org.freedesktop.login1"
LOGIN1_PATH = "/org/freedesktop/login1"
LOGIN1_MANAGER = "org.freedesktop.login1.Manager"
LOGIN1_SESSION = "org.freedesktop.login1.Session"
#: Screensavers that say ``ActiveChanged(bool)``: the freedesktop name (KDE, Xfce and others)
#: and GNOME's own.
SCREENSAVERS = (
    ("/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver"),
    ("/ScreenSaver", "org.freedesktop.ScreenSaver"),
    ("/org/gnome/ScreenSaver", "org.gnome.ScreenSaver"),
)

# Windows: the messages and the codes that mean the session is going away.
WM_WTSSESSION_CHANGE = 0x02B1
WM_POWERBROADCAST = 0x0218
PBT_APMSUSPEND = 0x0004
_WTS_REASONS = {
    0x2: "console disconnected",  # WTS_CONSOLE_DISCONNECT: switched to another user
    0x4: "remote session disconnected",  # WTS_REMOTE_DISCONNECT
    0x6: "logged off",  # WTS_SESSION_LOGOFF
    0x7: "session locked",  # WTS_SESSION_LOCK
}
_NOTIFY_FOR_THIS_SESSION = 0

# macOS: the notifications' names.
_MACOS_REASONS = {
    "NSWorkspaceWillSleepNotification": "going to sleep",
    "NSWorkspaceScreensDidSleepNotification": "screens asleep",
    "NSWorkspaceSessionDidResignActiveNotification": "session switched",
    "com.apple.screenIsLocked": "screen locked",
}


#: macOS: which notification centre posts each of them ("workspace": NSWorkspace's own centre,
#: the only one that gets its notifications; "distributed": the system-wide one).
MACOS_NOTIFICATIONS = (
    ("workspace", "NSWorkspaceWillSleepNotification"),
    ("workspace", "NSWorkspaceScreensDidSleepNotification"),
    ("workspace", "NSWorkspaceSessionDidResignActiveNotification"),
    ("distributed", "com.apple.screenIsLocked"),
)

#: Observes one notification: ``observe(centre, name, handler)`` calls ``handler(name)`` each
#: time it is posted, and returns the function that stops observing it.
ObserveNotification = Callable[[str, str, Callable[[str], None]], Callable[[], None]]


def windows_lock_reason(message: int, wparam: int) -> str | None:
    """Why to lock, for a Windows message and its ``wParam``; None if it is not a reason."""
    if message == WM_WTSSESSION_CHANGE:
        return _WTS_REASONS.get(wparam)
    if message == WM_POWERBROADCAST and wparam == PBT_APMSUSPEND:
        return "suspending"
    return None


def macos_lock_reason(notification: str) -> str | None:
    """Why to lock, for the name of a macOS workspace or distributed notification."""
    return _MACOS_REASONS.get(notification)


def cocoa_observer() -> ObserveNotification | None:
    """Observing through pyobjc's AppKit and Foundation (installed on macOS only); None
    without them. Each handler is run on the main operation queue, which is Qt's thread."""
    try:
        import AppKit  # type: ignore[import-not-found,import-untyped,unused-ignore]
        import Foundation  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError:
        log.warning("pyobjc is not installed: the app will not lock when the Mac does")
        return None
    centres: dict[str, Any] = {
        "workspace": AppKit.NSWorkspace.sharedWorkspace().notificationCenter(),
        "distributed": Foundation.NSDistributedNotificationCenter.defaultCenter(),
    }
    queue: Any = Foundation.NSOperationQueue.mainQueue()

    def observe(centre: str, name: str, handler: Callable[[str], None]) -> Callable[[], None]:
        center = centres[centre]

        def posted(_notification: Any) -> None:
            handler(name)

        # AppKit's constant where there is one, whatever text it stands for.
        token = center.addObserverForName_object_queue_usingBlock_(
            getattr(AppKit, name, name), None, queue, posted
        )
        return lambda: center.removeObserver_(token)

    return observe


class WindowsMessage(ctypes.Structure):
    """Windows' MSG, as far as the fields read here."""

    _fields_ = (
        ("hwnd", ctypes.c_void_p),
        ("message", ctypes.c_uint),
        ("wParam", ctypes.c_size_t),
        ("lParam", ctypes.c_ssize_t),
    )


class WindowsFilter(QAbstractNativeEventFilter):
    """Reads each native Windows message for the ones in :func:`windows_lock_reason`."""

    def __init__(self, watcher: SessionWatcher) -> None:
        super().__init__()
        self._watcher = watcher

    def nativeEventFilter(
        self, event_type: QByteArray | bytes | bytearray | memoryview, message: int
    ) -> object:
        kind = event_type.data() if isinstance(event_type, QByteArray) else bytes(event_type)
        if kind == b"windows_generic_MSG" and message:
            msg = WindowsMessage.from_address(int(message))
            reason = windows_lock_reason(int(msg.message), int(msg.wParam))
            if reason is not None:
                self._watcher.lock_requested.emit(reason)
        return False, 0


class SessionWatcher(QObject):
    """Emits ``lock_requested`` (with the reason, for the log) when the computer sleeps, its
    screen locks or the session switches away."""

    lock_requested = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._filter: WindowsFilter | None = None
        #: What is being listened to, for the log and for tests.
        self.listening: list[str] = []
        # Each stops one macOS observation; called when this object goes, so that no
        # notification reaches a deleted watcher.
        stops: list[Callable[[], None]] = []
        self._stops = stops

        def stop_all() -> None:
            for stop in stops:
                stop()

        self.destroyed.connect(stop_all)

    def start(self) -> list[str]:
        """Listen the way this platform allows; what is listened to."""
        platform = sys.platform  # read at run time, so that every branch is type-checked
        if platform.startswith("linux"):
            self.listen_on_dbus(QDBusConnection.systemBus(), QDBusConnection.sessionBus())
        elif platform == "win32":
            self._listen_on_windows()
        elif platform == "darwin":
            observe = cocoa_observer()
            if observe is not None:
                self.listen_on_macos(observe)
        return self.listening

    def listen_on_macos(self, observe: ObserveNotification) -> None:
        """Observe each of :data:`MACOS_NOTIFICATIONS` (a test gives its own ``observe``)."""
        for centre, name in MACOS_NOTIFICATIONS:
            self._stops.append(observe(centre, name, self._macos_notified))
            self.listening.append(name)

    def listen_on_dbus(self, system: QDBusConnection, session: QDBusConnection) -> None:
        """Connect to logind on ``system`` and the screensavers on ``session`` (a test gives
        its own private bus for both)."""
        wanted: Iterable[tuple[QDBusConnection, str, str, str, str, str]] = [
            (system, LOGIN1_PATH, LOGIN1_MANAGER, "PrepareForSleep", "1_sleeping(bool)", "sleep"),
            (system, "", LOGIN1_SESSION, "Lock", "1_session_locked()", "session lock"),
            *(
                (session, path, interface, "ActiveChanged", "1_screensaver(bool)", interface)
                for path, interface in SCREENSAVERS
            ),
        ]
        for bus, path, interface, name, slot, what in wanted:
            # The slot as Qt's SLOT() writes it ("1" and the signature): PySide6 takes it as
            # text, although its stubs say bytes. An empty path matches any session's.
            connect = bus.connect
            if bus.isConnected() and connect("", path, interface, name, self, slot):  # type: ignore[call-overload]
                self.listening.append(what)

    def _listen_on_windows(self) -> None:
        from PySide6.QtCore import QCoreApplication

        app = QCoreApplication.instance()
        if app is None:
            return
        self._filter = WindowsFilter(self)
        app.installNativeEventFilter(self._filter)
        self.listening.append("windows messages")

    def register_window(self, window: QWidget) -> None:
        """Windows sends session changes only to windows that ask for them."""
        platform = sys.platform  # read at run time: the code below is for Windows only
        if platform != "win32":
            return
        try:
            wtsapi = ctypes.WinDLL("wtsapi32")  # type: ignore[attr-defined,unused-ignore]
            wtsapi.WTSRegisterSessionNotification(
                ctypes.c_void_p(int(window.winId())), _NOTIFY_FOR_THIS_SESSION
            )
        except OSError as error:
            log.warning("session notifications unavailable: %s", type(error).__name__)

    def _macos_notified(self, name: str) -> None:
        reason = macos_lock_reason(name)
        if reason is not None:
            self.lock_requested.emit(reason)

    @Slot(bool)
    def _sleeping(self, starting: bool) -> None:
        if starting:
            self.lock_requested.emit("sleep")

    @Slot()
    def _session_locked(self) -> None:
        self.lock_requested.emit("session locked")

    @Slot(bool)
    def _screensaver(self, active: bool) -> None:
        if active:
            self.lock_requested.emit("screen locked")
