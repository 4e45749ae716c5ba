"""The first-run view: what this computer can run, the quant and context the planner recommends,
and one click that downloads it (or uses a copy already on disk) and loads it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.i18n import translate
from app.models.download_plan import DownloadPlan
from app.models.errors import format_bytes
from app.models.fit_planner import MISTRAL_SMALL_3_2, Proposal, QuantSize
from app.models.fit_report import context_label, device_label, proposal_sentence, vision_sentence
from app.models.metal_limit import routes_to_full_context
from app.models.model_search import short_path, source_name
from app.models.progress import DownloadProgress, progress_text
from app.qt_bridge.models_controller import DownloadDone, ModelsController
from app.qt_bridge.models_overview import ModelsOverview, QuantRow
from app.ui.download_bar import DownloadBar
from app.ui.metal_limit_box import MetalLimitBox


class WelcomeView(QWidget):
    """Emits `chosen` with the finished download (or the file found on disk) and the proposal,
    for the window to apply the recommended setting and load the model."""

    chosen = Signal(object, object)  # DownloadDone, Proposal
    metal_limit_raised = Signal(int)  # iogpu.wired_limit_mb, as macOS now has it
    notice = Signal(str)  # something to tell the user that is no error of the download
    other_quant_requested = Signal()
    open_file_requested = Signal()

    def __init__(self, controller: ModelsController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomeView")
        self.controller = controller
        self._overview: ModelsOverview | None = None

        card = QFrame(self)
        card.setObjectName("welcomeCard")
        card.setMaximumWidth(640)
        title = QLabel(translate("WelcomeView", "Welcome to Tramontane"), card)
        title.setObjectName("welcomeTitle")
        intro = QLabel(
            translate(
                "WelcomeView",
                "Tramontane chats with Mistral Small 3.2 24B on this computer, with no network "
                "once the model is here. Pick how much of the model to download:",
            ),
            card,
        )
        intro.setWordWrap(True)
        self.machine_label = QLabel(translate("WelcomeView", "Looking at this computer…"), card)
        self.machine_label.setWordWrap(True)
        self.recommendation_label = QLabel(card)
        self.recommendation_label.setObjectName("welcomeRecommendation")
        self.recommendation_label.setWordWrap(True)
        self.vision_label = QLabel(card)
        self.vision_label.setObjectName("hint")
        self.vision_label.setWordWrap(True)
        self.metal_box = MetalLimitBox(card)
        self.metal_box.raised.connect(self.metal_limit_raised)
        self.metal_box.failed.connect(self.notice)
        self.projector_check = QCheckBox(
            translate("WelcomeView", "Also download the vision projector (for images)"), card
        )
        self.projector_check.setAccessibleName(
            translate("WelcomeView", "Also download the vision projector")
        )
        self.projector_check.setAccessibleDescription(
            translate("WelcomeView", "Downloads the file that lets the model see images")
        )
        self.projector_check.setChecked(True)
        self.projector_check.hide()
        self.projector_check.toggled.connect(lambda _on: self._update_buttons())

        self.start_button = QPushButton(translate("WelcomeView", "Download"), card)
        self.start_button.setObjectName("primaryButton")
        self.start_button.setEnabled(False)
        self.start_button.clicked.connect(self.start)
        self.start_button.setAccessibleDescription(
            translate(
                "WelcomeView",
                "Downloads the recommended quant, or uses the copy on disk, and loads it",
            )
        )
        self.pause_button = QPushButton(translate("WelcomeView", "Pause"), card)
        self.pause_button.clicked.connect(self.toggle_pause)
        self.pause_button.setAccessibleName(translate("WelcomeView", "Pause or resume"))
        self.pause_button.setAccessibleDescription(
            translate("WelcomeView", "Pauses the download, or resumes it where it stopped")
        )
        self.cancel_button = QPushButton(translate("WelcomeView", "Cancel"), card)
        self.cancel_button.clicked.connect(controller.cancel)
        self.cancel_button.setAccessibleName(translate("WelcomeView", "Cancel the download"))
        self.cancel_button.setAccessibleDescription(translate("WelcomeView", "Stops the download"))
        other_button = QPushButton(translate("WelcomeView", "Choose another quant…"), card)
        other_button.clicked.connect(self.other_quant_requested)
        other_button.setAccessibleName(translate("WelcomeView", "Choose another quant"))
        other_button.setAccessibleDescription(
            translate("WelcomeView", "Opens the Models window with every quant of the model")
        )
        file_button = QPushButton(translate("WelcomeView", "Open a GGUF file…"), card)
        file_button.clicked.connect(self.open_file_requested)
        file_button.setAccessibleName(translate("WelcomeView", "Open a GGUF file"))
        file_button.setAccessibleDescription(
            translate("WelcomeView", "Loads a GGUF model file you already have")
        )

        self.progress_bar = DownloadBar(card)
        self.progress_bar.hide()
        self.progress_label = QLabel(card)
        self.progress_label.setWordWrap(True)
        self.error_label = QLabel(card)
        self.error_label.setObjectName("errorText")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()

        actions = QHBoxLayout()
        actions.addWidget(self.start_button)
        actions.addWidget(self.pause_button)
        actions.addWidget(self.cancel_button)
        actions.addStretch(1)
        others = QHBoxLayout()
        others.addWidget(other_button)
        others.addWidget(file_button)
        others.addStretch(1)

        card_layout = QVBoxLayout(card)
        card_layout.setSpacing(12)
        for widget in (title, intro, self.machine_label, self.recommendation_label):
            card_layout.addWidget(widget)
        card_layout.addWidget(self.vision_label)
        card_layout.addWidget(self.metal_box)
        card_layout.addWidget(self.projector_check)
        card_layout.addLayout(actions)
        card_layout.addWidget(self.progress_bar)
        card_layout.addWidget(self.progress_label)
        card_layout.addWidget(self.error_label)
        card_layout.addLayout(others)

        layout = QVBoxLayout(self)
        layout.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 10)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)

        controller.overview_ready.connect(self.show_overview)
        controller.overview_failed.connect(self._show_error)
        controller.progress.connect(self._show_progress)
        controller.download_done.connect(self._on_done)
        controller.download_failed.connect(self._on_failed)
        controller.download_cancelled.connect(self._on_cancelled)
        controller.busy_changed.connect(lambda _busy: self._update_buttons())
        self._update_buttons()

    def refresh(self) -> None:
        self.controller.refresh()

    # ---- the recommendation ---------------------------------------------------------------

    @property
    def proposal(self) -> Proposal | None:
        return self._overview.recommended if self._overview is not None else None

    def _recommended_row(self) -> QuantRow | None:
        proposal = self.proposal
        if self._overview is None or proposal is None:
            return None
        return self._overview.row(proposal.quant)

    def show_overview(self, overview: ModelsOverview) -> None:
        self._overview = overview
        self.machine_label.setText(
            translate("WelcomeView", "The model will run on {device}.").format(
                device=device_label(overview.budget)
            )
        )
        proposal, row = overview.recommended, self._recommended_row()
        if proposal is None or row is None:
            self.vision_label.clear()
            self.metal_box.show_routes(None)
            self.recommendation_label.setText(
                translate(
                    "WelcomeView",
                    "No quant of the model fits this computer's memory. Choose another quant to "
                    "see what each one needs, or open a GGUF file you already have.",
                )
            )
            self._update_buttons()
            return
        text = translate("WelcomeView", "Recommended: {proposal}").format(
            proposal=proposal_sentence(proposal, overview.budget)
        )
        if row.local:
            text += " " + translate(
                "WelcomeView", "A copy is already on disk ({source}): {path}."
            ).format(source=source_name(row.local), path=short_path(row.local.path))
        self.recommendation_label.setText(text)
        self._show_plan_details(overview, proposal, row)
        projector = overview.projector
        self.projector_check.setVisible(projector is not None and not overview.projector_local)
        if projector is not None and projector.size:
            self.projector_check.setText(
                translate(
                    "WelcomeView", "Also download the vision projector for images ({size})"
                ).format(size=format_bytes(projector.size))
            )
        self._update_buttons()

    def download_plan(self) -> DownloadPlan | None:
        """What the start button fetches: the recommended quant and, when ticked, the vision
        projector, less the files already on disk."""
        row, overview = self._recommended_row(), self._overview
        if row is None or overview is None:
            return None
        with_projector = not self.projector_check.isHidden() and self.projector_check.isChecked()
        return overview.plan(row.label, with_projector=with_projector)

    def _show_plan_details(
        self, overview: ModelsOverview, proposal: Proposal, row: QuantRow
    ) -> None:
        """Whether the verdict counts the vision projector, and on a Mac the way to 128K."""
        projector = overview.projector
        projector_bytes = projector.size or 0 if projector is not None else 0
        quant = QuantSize(row.label, row.choice.size or proposal.fit.estimate.weights)
        self.vision_label.setText(
            vision_sentence(quant, proposal.kv_type, overview.budget, projector_bytes)
        )
        sized = [QuantSize(r.label, r.choice.size) for r in overview.rows if r.choice.size]
        routes = routes_to_full_context(
            quant, overview.budget, sized, projector_bytes=projector_bytes
        )
        full = context_label(MISTRAL_SMALL_3_2.n_ctx_train)
        self.metal_box.show_routes(
            routes,
            translate("WelcomeView", "The way to {context} of history on this Mac:").format(
                context=full
            ),
        )

    def start_text(self) -> str:
        row, plan = self._recommended_row(), self.download_plan()
        if row is None or plan is None:
            return translate("WelcomeView", "Download")
        if not plan.missing:
            return translate("WelcomeView", "Start with {quant}").format(quant=row.label)
        return translate("WelcomeView", "Download {what} and start").format(what=plan.what())

    # ---- the download ---------------------------------------------------------------------

    def start(self) -> None:
        row, proposal, plan = self._recommended_row(), self.proposal, self.download_plan()
        if row is None or proposal is None or plan is None:
            return
        if plan.model_path is not None and not plan.missing:
            projector = plan.projector_path or self._projector_on_disk()
            self.chosen.emit(DownloadDone(row.label, plan.model_path, projector), proposal)
            return
        self.error_label.hide()
        self.progress_bar.setValue(0)
        self.progress_bar.show()
        self.progress_label.setText(
            translate("WelcomeView", "Starting the download of {what}…").format(what=plan.what())
        )
        self.controller.download(row.label, with_projector=plan.projector is not None)

    def toggle_pause(self) -> None:
        if self.controller.paused:
            self.controller.resume()
        else:
            self.controller.pause()
        self._update_buttons()

    def _show_progress(self, progress: DownloadProgress) -> None:
        self.progress_bar.show_progress(progress)
        self.progress_label.setText(progress_text(progress))

    def _on_done(self, done: DownloadDone) -> None:
        self.progress_bar.finish()
        if done.unverified:  # asked, not loaded: the button now starts with the file on disk
            self.progress_label.setText(
                translate("WelcomeView", "{summary} To load it, press Start.").format(
                    summary=done.summary
                )
            )
            self.refresh()
            return
        self.progress_label.setText(
            translate("WelcomeView", "{summary} Loading it…").format(summary=done.summary)
        )
        if self.proposal is not None and done.label == self.proposal.quant:
            projector = done.projector_path or self._projector_on_disk()
            self.chosen.emit(replace(done, projector_path=projector), self.proposal)

    def _projector_on_disk(self) -> Path | None:
        local = self._overview.projector_local if self._overview is not None else None
        return local.path if local is not None else None

    def _on_failed(self, message: str) -> None:
        self.progress_label.setText(
            translate("WelcomeView", "The download stopped; what was downloaded is kept.")
        )
        self._show_error(message)

    def _on_cancelled(self, message: str) -> None:
        self.progress_bar.hide()
        self.progress_label.setText(message)

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()
        self._update_buttons()

    def _update_buttons(self) -> None:
        busy = self.controller.downloading
        self.start_button.setText(self.start_text())
        self.start_button.setAccessibleName(self.start_text())
        self.start_button.setEnabled(not busy and self._recommended_row() is not None)
        self.pause_button.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.pause_button.setText(
            translate("WelcomeView", "Resume")
            if self.controller.paused
            else translate("WelcomeView", "Pause")
        )
        self.projector_check.setEnabled(not busy)
