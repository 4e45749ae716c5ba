"""What can be done to a message and how it is reached without a mouse: its action buttons,
the keys bound to them, the menu that lists them, the parts Tab visits inside it, and the frame
that shows which message has the keyboard."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QPainter, QPalette, QPen
from PySide6.QtWidgets import QAbstractButton, QHBoxLayout, QMenu, QToolButton, QWidget

from app.core.i18n import translate
from app.ui.image_viewer import ClickableThumbnail
from app.ui.rich_text import RichText
from app.ui.shortcuts import MessageKey

FOCUS_FRAME = 2  # the width of the focus frame, in pixels
FOCUS_RADIUS = 6


def copy_text() -> str:
    return translate("MessageWidget", "Copy")


def action_button(
    text: str, accessible_name: str, description: str, name: str = "messageAction"
) -> QToolButton:
    """A message's action: reached by the mouse, the message's keys or its menu, not by Tab
    (Tab would otherwise stop on every button of every message)."""
    button = QToolButton()
    button.setObjectName(name)
    button.setText(text)
    button.setToolTip(description)
    button.setAccessibleName(accessible_name)
    button.setAccessibleDescription(description)
    button.setAutoRaise(True)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    return button


@dataclass(frozen=True, slots=True)
class ActionButtons:
    previous: QToolButton
    next: QToolButton
    copy: QToolButton
    edit: QToolButton
    regenerate: QToolButton
    continue_: QToolButton
    delete: QToolButton

    def for_key(self, key: MessageKey) -> QToolButton | None:
        return {
            MessageKey.COPY: self.copy,
            MessageKey.EDIT: self.edit,
            MessageKey.REGENERATE: self.regenerate,
            MessageKey.CONTINUE: self.continue_,
            MessageKey.OLDER_VERSION: self.previous,
            MessageKey.NEWER_VERSION: self.next,
            MessageKey.DELETE: self.delete,
        }.get(key)

    def menu_order(self) -> tuple[QToolButton, ...]:
        return (
            self.copy,
            self.edit,
            self.regenerate,
            self.continue_,
            self.previous,
            self.next,
            self.delete,
        )


def make_action_buttons() -> ActionButtons:
    return ActionButtons(
        previous=action_button(
            "‹",
            translate("MessageWidget", "Previous version"),
            translate("MessageWidget", "Show the previous version of this message"),
            "alternativeButton",
        ),
        next=action_button(
            "›",
            translate("MessageWidget", "Next version"),
            translate("MessageWidget", "Show the next version of this message"),
            "alternativeButton",
        ),
        copy=action_button(
            copy_text(),
            translate("MessageWidget", "Copy message"),
            translate("MessageWidget", "Copy this message"),
        ),
        edit=action_button(
            translate("MessageWidget", "Edit"),
            translate("MessageWidget", "Edit message"),
            translate("MessageWidget", "Edit and send again (the original stays)"),
        ),
        regenerate=action_button(
            translate("MessageWidget", "Regenerate"),
            translate("MessageWidget", "Regenerate answer"),
            translate("MessageWidget", "Write another answer (kept too)"),
        ),
        continue_=action_button(
            translate("MessageWidget", "Continue"),
            translate("MessageWidget", "Continue answer"),
            translate("MessageWidget", "Continue this answer"),
        ),
        delete=action_button(
            translate("MessageWidget", "Delete"),
            translate("MessageWidget", "Delete message"),
            translate("MessageWidget", "Delete this message and what follows it"),
        ),
    )


NAVIGATION = {MessageKey.PREVIOUS, MessageKey.NEXT, MessageKey.FIRST, MessageKey.LAST}


def act_on(
    message: QWidget, buttons: ActionButtons, key: MessageKey, *extra: QWidget | None
) -> bool:
    """Do what `key` means for a focused message (other than moving to another message);
    False when it means nothing there now."""
    button = buttons.for_key(key)
    if button is not None:
        if usable(button, message):
            button.click()
            return True
        return False
    if key is MessageKey.ENTER:
        stops = inner_stops(message, *extra)
        if stops:
            stops[0].setFocus(Qt.FocusReason.TabFocusReason)
        return bool(stops)
    if key is MessageKey.OPEN_IMAGE:
        thumbnails = message.findChildren(ClickableThumbnail)
        if thumbnails:
            thumbnails[0].clicked.emit()
        return bool(thumbnails)
    if key is MessageKey.MENU:
        actions_menu(message, buttons).popup(message.mapToGlobal(QPoint(8, 8)))
        return True
    return False


def tool_result_toggle(tool: str) -> QToolButton:
    """The title of a tool's result, which shows or hides it."""
    name = tool or translate("MessageWidget", "tool")
    toggle = QToolButton()
    toggle.setObjectName("toolResultToggle")
    toggle.setText(translate("MessageWidget", "Tool result · {name}").format(name=name))
    toggle.setAccessibleName(translate("MessageWidget", "Tool result of {name}").format(name=name))
    toggle.setAccessibleDescription(
        translate("MessageWidget", "Shows or hides what the tool returned")
    )
    toggle.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    toggle.setCheckable(True)
    toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    toggle.setArrowType(Qt.ArrowType.RightArrow)
    return toggle


def lay_out_actions(
    row: QHBoxLayout, buttons: ActionButtons, position: QWidget, mark: QWidget, *, user: bool
) -> None:
    """A user message's actions sit at its right, under the bubble; an answer's at its left."""
    alternatives = [buttons.previous, position, buttons.next]
    if user:
        row.addStretch(1)
        row.addWidget(mark)
        widgets = [*alternatives, buttons.edit, buttons.copy, buttons.delete]
    else:
        widgets = [buttons.copy, buttons.regenerate, buttons.continue_, buttons.delete]
        widgets += alternatives
    for widget in widgets:
        row.addWidget(widget)
    if not user:
        row.addWidget(mark)
        row.addStretch(1)


def usable(button: QAbstractButton, owner: QWidget) -> bool:
    return button.isVisibleTo(owner) and button.isEnabled()


def actions_menu(owner: QWidget, buttons: ActionButtons) -> QMenu:
    """The actions the message offers now, under the names screen readers give them."""
    menu = QMenu(owner)
    menu.setAccessibleName(translate("MessageWidget", "Message actions"))
    for button in buttons.menu_order():
        if usable(button, owner):
            menu.addAction(button.accessibleName(), button.click)
    for thumbnail in owner.findChildren(ClickableThumbnail):
        title = translate("MessageWidget", "Open {image}").format(image=thumbnail.accessibleName())
        menu.addAction(title, thumbnail.clicked.emit)
    menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    return menu


def inner_stops(owner: QWidget, *extra: QWidget | None) -> list[QWidget]:
    """What Tab visits inside a message (its text, code, images, buttons and `extra`), top to
    bottom, then left to right."""
    stops = [
        widget
        for widget in owner.findChildren(QWidget)
        if isinstance(widget, (RichText, QAbstractButton, ClickableThumbnail)) or widget in extra
    ]
    shown = [widget for widget in stops if widget.isVisibleTo(owner) and widget.isEnabled()]

    def place(widget: QWidget) -> tuple[int, int]:
        corner = widget.mapTo(owner, QPoint())
        return corner.y(), corner.x()

    return sorted(shown, key=place)


def step_inside(stops: list[QWidget], focus: QWidget, forward: bool) -> None:
    """Move the focus from `focus` to the next (or previous) stop, round the message."""
    here = next((i for i, stop in enumerate(stops) if stop is focus or stop.isAncestorOf(focus)), 0)
    target = stops[(here + (1 if forward else -1)) % len(stops)]
    target.setFocus(Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason)


class FocusWatch(QObject):
    """Repaints a message when one of its parts gains or loses the keyboard focus, so that the
    message draws the part's focus frame (the style draws none for flat buttons)."""

    def __init__(self, message: QWidget) -> None:
        super().__init__(message)
        self._message = message

    def watch(self, parts: list[QWidget]) -> None:
        for part in parts:
            part.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.FocusIn, QEvent.Type.FocusOut):
            self._message.update()
        return False


def paint_focus_frame(widget: QWidget, around: QWidget | None = None) -> None:
    """A rounded frame in the palette's highlight colour (it follows the light or dark theme),
    round `widget`, or round its part `around` (just outside it)."""
    painter = QPainter(widget)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(widget.palette().color(QPalette.ColorRole.Highlight), FOCUS_FRAME))
    inset = FOCUS_FRAME / 2
    frame = widget.rect().toRectF().adjusted(inset, inset, -inset, -inset)
    if around is not None:
        part = QRectF(QPointF(around.mapTo(widget, QPoint())), QSizeF(around.size()))
        frame = part.adjusted(-inset - 1, -inset - 1, inset + 1, inset + 1)
    painter.drawRoundedRect(frame, FOCUS_RADIUS, FOCUS_RADIUS)
    painter.end()
