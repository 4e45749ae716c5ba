"""Placing a widget in the window's Tab order relative to a whole group of widgets."""

from __future__ import annotations

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
