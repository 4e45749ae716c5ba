"""Tabs whose pages scroll when the dialog is smaller than they need (large text, small screens).

Each page sits in a frameless scroll area; the page itself stays what the tab widget's callers
see (`currentWidget`, `setCurrentWidget`, `indexOf`).
"""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QScrollArea, QTabWidget, QWidget


class ScrollingTabs(QTabWidget):
    def addTab(self, page: QWidget, label: str) -> int:  # type: ignore[override]
        area = QScrollArea(self)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setWidgetResizable(True)
        area.setWidget(page)
        return super().addTab(area, label)

    def page(self, index: int) -> QWidget | None:
        area = self.widget(index)
        return area.widget() if isinstance(area, QScrollArea) else area

    def currentWidget(self) -> QWidget:
        page = self.page(self.currentIndex())
        assert page is not None, "a tab widget with no pages"
        return page

    def indexOf(self, page: QWidget) -> int:
        return next((i for i in range(self.count()) if self.page(i) is page), -1)

    def setCurrentWidget(self, page: QWidget) -> None:
        self.setCurrentIndex(self.indexOf(page))
