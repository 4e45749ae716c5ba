"""What assistive technology (screen readers, braille displays) is told about our own widgets.

Qt describes its standard widgets itself. A widget that paints its own content (the rich text of
a message) or that stands for a larger whole (a message, the list of messages) says nothing by
default: Qt reports a nameless "client" object. Such a widget class is registered here with the
role it plays (`expose`) and may define `accessible_value()`, the text a reader speaks for it.
The interface Qt asks for is then made by `_describe` through `QAccessible.installFactory`, only
while accessibility is active (a screen reader listens): PySide keeps every interface its
factory made until the application ends. PySide also removes the factory when an application
is destroyed, so it is installed again in each application that builds a registered widget.

PySide6 can subclass `QAccessibleWidget` and override its `role()` and `text()`, which is what
screen readers read (name, description, value). It cannot hand Qt a `QAccessibleTextInterface`
(Qt obtains it through `interface_cast`, a C++ pointer cast a Python object cannot answer), so
text is given whole, as Qt does for `QLabel`, not by character ranges.

Announcements (`announce`) use `QAccessibleAnnouncementEvent`, which Qt forwards to the
platform's screen reader API (AT-SPI, UI Automation, NSAccessibility).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QAccessibleInterface
from PySide6.QtWidgets import QAccessibleWidget, QWidget

W = TypeVar("W", bound=type[QWidget])

_ROLES: dict[type[QWidget], QAccessible.Role] = {}
_installed = False  # in the running application


def expose(role: QAccessible.Role) -> Callable[[W], W]:
    """Class decorator: widgets of this class (and its subclasses) play `role`."""

    def register(cls: W) -> W:
        _ROLES[cls] = role
        build = cls.__init__

        @wraps(build)
        def build_then_install(widget: QWidget, *args: Any, **kwargs: Any) -> None:
            build(widget, *args, **kwargs)
            _install()

        setattr(cls, "__init__", build_then_install)  # noqa: B010 (mypy refuses a method assigned)
        return cls

    return register


class _Described(QAccessibleWidget):
    """A registered widget: its role, and its value from `accessible_value()` when defined.
    Without an accessible name of its own, the value is its name too (as for a `QLabel`)."""

    def __init__(self, widget: QWidget, role: QAccessible.Role) -> None:
        super().__init__(widget, role)

    def _value(self) -> str:
        value = getattr(self.widget(), "accessible_value", None)
        return str(value()) if callable(value) else ""

    def text(self, t: QAccessible.Text) -> str:
        if t == QAccessible.Text.Value:
            return self._value()
        own = super().text(t)
        if t == QAccessible.Text.Name and not own:
            return self._value()
        return own


def _describe(key: str, target: QObject) -> QAccessibleInterface | None:
    del key  # Qt's class name, the same for two classes of one name: the class itself is used
    if not QAccessible.isActive() or not isinstance(target, QWidget):
        return None
    role = next((_ROLES[cls] for cls in type(target).__mro__ if cls in _ROLES), None)
    return None if role is None else _Described(target, role)


def _install() -> None:
    global _installed
    application = QCoreApplication.instance()
    if not _installed and application is not None:
        QAccessible.installFactory(_describe)
        application.destroyed.connect(_forget)
        _installed = True


def _forget() -> None:
    """The application is gone, and PySide took the factory out with it."""
    global _installed
    _installed = False


class Announcer(QObject):
    """Every announcement also goes out as `announced(text, assertive)`, for whoever in the
    program wants to know what screen readers were told (the tests among them)."""

    announced = Signal(str, bool)


ANNOUNCER = Announcer()


def announce(source: QWidget, text: str, *, assertive: bool = False) -> None:
    """Ask screen readers to speak `text` now. Polite announcements wait for the reader to
    finish what it says; assertive ones (errors) interrupt it."""
    if not text:
        return
    event = QAccessibleAnnouncementEvent(source, text)
    politeness = QAccessible.AnnouncementPoliteness
    event.setPoliteness(politeness.Assertive if assertive else politeness.Polite)
    QAccessible.updateAccessibility(event)
    ANNOUNCER.announced.emit(text, assertive)
