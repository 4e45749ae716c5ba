"""The window's Tab order around a group of widgets: placing a widget after a group, and leaving
a group for the next control outside it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget


def tab_after(group: QWidget, widget: QWidget) -> None:
    """Put `widget` in the Tab order right after the last of `group`'s descendants (Qt's own
    `setTabOrder` wants two widgets, not a group that takes no focus itself)."""
    last = group
    candidate = group.nextInFocusChain()
    while candidate is not None and candidate is not group:
        if group.isAncestorOf(candidate):
            last = candidate
        candidate = candidate.nextInFocusChain()
    QWidget.setTabOrder(last, widget)


def focus_outside(group: QWidget, *, forward: bool) -> bool:
    """Give the focus to the next (or previous) control in the Tab order that is not `group`
    or inside it, as Tab would; False when there is none."""
    reason = Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason
    widget = group.nextInFocusChain() if forward else group.previousInFocusChain()
    while widget is not None and widget is not group:
        takes_tab = bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
        usable = widget.isVisible() and widget.isEnabled()
        if takes_tab and usable and not group.isAncestorOf(widget):
            widget.setFocus(reason)
            return True
        widget = widget.nextInFocusChain() if forward else widget.previousInFocusChain()
    return False
