"""The sidebar: new chat, the conversation list (pinned first, newest first), search, undo."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.conversation import ConversationId, ConversationRecord, ExportFormat, SearchResult
from app.core.i18n import translate
from app.ui.conversation_list import (
    ConversationDelegate,
    ConversationListModel,
    SearchResultDelegate,
    SearchResultsModel,
)
from app.ui.undo_bar import UndoBar

SEARCH_DELAY_MS = 200


class _ConversationListView(QListView):
    delete_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Delete and self.currentIndex().isValid():
            self.delete_pressed.emit()
            return
        super().keyPressEvent(event)


class Sidebar(QWidget):
    new_chat_requested = Signal()
    conversation_selected = Signal(int)
    rename_requested = Signal(int, str)
    delete_requested = Signal(int)
    pin_requested = Signal(int, bool)
    settings_requested = Signal(int)
    export_requested = Signal(int, object)  # conversation id, ExportFormat
    search_changed = Signal(str)  # debounced; "" when the search is cleared
    search_hit_activated = Signal(int, int)  # conversation id, message id
    undo_requested = Signal()

    LIST_PAGE, SEARCH_PAGE, EMPTY_PAGE = 0, 1, 2

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidebar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.new_button = QPushButton(translate("Sidebar", "New chat"), self)
        self.new_button.setObjectName("newChatButton")
        self.new_button.setToolTip(translate("Sidebar", "New chat (Ctrl+N)"))
        self.new_button.setAccessibleName(translate("Sidebar", "New chat"))
        self.new_button.setAccessibleDescription(
            translate("Sidebar", "Starts a new conversation (Ctrl+N)")
        )
        self.new_button.clicked.connect(self.new_chat_requested)

        self.search_field = QLineEdit(self)
        self.search_field.setObjectName("searchField")
        self.search_field.setPlaceholderText(translate("Sidebar", "Search all messages"))
        self.search_field.setAccessibleName(translate("Sidebar", "Search"))
        self.search_field.setAccessibleDescription(
            translate(
                "Sidebar",
                "Searches the messages of every conversation; Down goes to the results, Esc "
                "clears the search",
            )
        )
        self.search_field.setClearButtonEnabled(True)
        self.search_field.installEventFilter(self)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._emit_search)
        self.search_field.textChanged.connect(self._on_search_text)

        self.conversations = ConversationListModel(self)
        self.conversations.rename_requested.connect(self.rename_requested)
        self.list_view = _ConversationListView(self)
        self.list_view.setObjectName("conversationList")
        self.list_view.setModel(self.conversations)
        self.list_view.setItemDelegate(ConversationDelegate(self.list_view))
        self.list_view.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        self.list_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list_view.customContextMenuRequested.connect(self._context_menu)
        self.list_view.clicked.connect(self._on_conversation_clicked)
        self.list_view.activated.connect(self._on_conversation_clicked)
        self.list_view.delete_pressed.connect(self._delete_current)
        self.list_view.setAccessibleName(translate("Sidebar", "Conversations"))
        self.list_view.setAccessibleDescription(
            translate(
                "Sidebar",
                "Pinned conversations first, then the newest; Enter opens one, F2 renames it, "
                "Delete deletes it, the context menu key shows more",
            )
        )

        self.results = SearchResultsModel(self)
        self.results_view = QListView(self)
        self.results_view.setObjectName("searchResults")
        self.results_view.setModel(self.results)
        self.results_view.setItemDelegate(SearchResultDelegate(self.results_view))
        self.results_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results_view.clicked.connect(self._on_hit_clicked)
        self.results_view.activated.connect(self._on_hit_clicked)
        self.results_view.setAccessibleName(translate("Sidebar", "Search results"))
        self.results_view.setAccessibleDescription(
            translate("Sidebar", "Messages that match the search; Enter opens one")
        )

        self.empty_label = QLabel(self)
        self.empty_label.setObjectName("emptyLabel")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.empty_label.setWordWrap(True)

        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.list_view)
        self.pages.addWidget(self.results_view)
        self.pages.addWidget(self.empty_label)

        self.undo_bar = UndoBar(self)
        self.undo_bar.undo_requested.connect(self.undo_requested)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 10, 8, 8)
        layout.setSpacing(8)
        layout.addWidget(self.new_button)
        layout.addWidget(self.search_field)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.undo_bar)
        self._show_list()

    # ---- content --------------------------------------------------------------------------

    def set_conversations(
        self, items: list[ConversationRecord], current: ConversationId | None
    ) -> None:
        self.conversations.set_items(items)
        self.select_conversation(current)
        if not self.searching:
            self._show_list()

    def select_conversation(self, conversation_id: ConversationId | None) -> None:
        row = None if conversation_id is None else self.conversations.row_of(conversation_id)
        if row is None:
            self.list_view.clearSelection()
            self.list_view.setCurrentIndex(QModelIndex())
            return
        index = self.conversations.index(row)
        self.list_view.setCurrentIndex(index)
        self.list_view.scrollTo(index)

    def set_search_results(self, query: str, hits: list[SearchResult]) -> None:
        if query != self.search_field.text().strip():
            return  # an older search that finished late
        self.results.set_hits(hits)
        if hits:
            self.pages.setCurrentIndex(self.SEARCH_PAGE)
        else:
            self.empty_label.setText(
                translate("Sidebar", "No message contains “{query}”.").format(query=query)
            )
            self.pages.setCurrentIndex(self.EMPTY_PAGE)

    @property
    def searching(self) -> bool:
        return bool(self.search_field.text().strip())

    def focus_search(self) -> None:
        self.search_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_field.selectAll()

    def start_rename(self, conversation_id: ConversationId) -> None:
        row = self.conversations.row_of(conversation_id)
        if row is not None:
            self.clear_search()
            index = self.conversations.index(row)
            self.list_view.setCurrentIndex(index)
            self.list_view.edit(index)

    def clear_search(self) -> None:
        self.search_field.clear()

    # ---- events ---------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.search_field
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
        ):
            if event.key() == Qt.Key.Key_Escape and self.search_field.text():
                self.clear_search()
                return True
            if event.key() == Qt.Key.Key_Down and self.searching:
                self.results_view.setFocus()
                self.results_view.setCurrentIndex(self.results.index(0))
                return True
        return super().eventFilter(watched, event)

    def _on_search_text(self, text: str) -> None:
        if not text.strip():
            self._search_timer.stop()
            self.results.set_hits([])
            self._show_list()
            self.search_changed.emit("")
            return
        self._search_timer.start()

    def _emit_search(self) -> None:
        query = self.search_field.text().strip()
        if query:
            self.search_changed.emit(query)

    def _show_list(self) -> None:
        if self.conversations.rowCount():
            self.pages.setCurrentIndex(self.LIST_PAGE)
        else:
            self.empty_label.setText(translate("Sidebar", "No conversations yet."))
            self.pages.setCurrentIndex(self.EMPTY_PAGE)

    def _item_at(self, index: QModelIndex) -> ConversationRecord | None:
        item = index.data(ConversationListModel.ItemRole) if index.isValid() else None
        return item if isinstance(item, ConversationRecord) else None

    def _on_conversation_clicked(self, index: QModelIndex) -> None:
        item = self._item_at(index)
        if item is not None:
            self.conversation_selected.emit(item.id)

    def _on_hit_clicked(self, index: QModelIndex) -> None:
        hit = index.data(SearchResultsModel.HitRole)
        if isinstance(hit, SearchResult):
            self.search_hit_activated.emit(hit.conversation_id, hit.message_id)

    def _delete_current(self) -> None:
        item = self._item_at(self.list_view.currentIndex())
        if item is not None:
            self.delete_requested.emit(item.id)

    def context_menu_for(self, item: ConversationRecord) -> QMenu:
        menu = QMenu(self)
        rename = QAction(translate("Sidebar", "Rename…"), menu)
        rename.triggered.connect(lambda: self.start_rename(item.id))
        pin = QAction(
            translate("Sidebar", "Unpin")
            if item.pinned
            else translate("Sidebar", "Pin to the top"),
            menu,
        )
        pin.triggered.connect(lambda: self.pin_requested.emit(item.id, not item.pinned))
        settings = QAction(translate("Sidebar", "Conversation settings…"), menu)
        settings.triggered.connect(lambda: self.settings_requested.emit(item.id))
        export_md = QAction(translate("Sidebar", "Export as Markdown…"), menu)
        export_md.triggered.connect(
            lambda: self.export_requested.emit(item.id, ExportFormat.MARKDOWN)
        )
        export_json = QAction(translate("Sidebar", "Export as JSON…"), menu)
        export_json.triggered.connect(
            lambda: self.export_requested.emit(item.id, ExportFormat.JSON)
        )
        delete = QAction(translate("Sidebar", "Delete"), menu)
        delete.triggered.connect(lambda: self.delete_requested.emit(item.id))
        for action in (rename, pin, settings):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(export_md)
        menu.addAction(export_json)
        menu.addSeparator()
        menu.addAction(delete)
        return menu

    def _context_menu(self, position: QPoint) -> None:
        item = self._item_at(self.list_view.indexAt(position))
        if item is not None:
            self.context_menu_for(item).popup(self.list_view.viewport().mapToGlobal(position))
