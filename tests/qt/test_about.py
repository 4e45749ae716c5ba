"""Help → About: the version, the icon, and the licenses of the model, llama.cpp, Qt and every
runtime package."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.about import version
from app.ui.about_dialog import AboutDialog
from app.ui.main_window import MainWindow


def test_about_lists_the_licenses_and_shows_the_projects_own(
    qtbot: QtBot, window: MainWindow
) -> None:
    help_menu = window.menuBar().actions()[-1].menu()
    assert window.commands.about in help_menu.actions()
    window.commands.about.trigger()
    dialog = window.findChild(AboutDialog)
    assert dialog is not None and dialog.isVisible()

    assert version() == "0.1.0" and "Tramontane 0.1.0" in dialog.title.text()
    rows = {
        dialog.table.item(r, 0).text(): dialog.table.item(r, 2).text()
        for r in range(dialog.table.rowCount())
    }
    assert rows["Mistral Small 3.2 24B Instruct (2506)"] == "Apache-2.0"
    assert rows["llama.cpp"] == "MIT"
    assert rows["Qt 6 and PySide6"] == "LGPL-3.0"
    assert "LGPL-3.0" in rows["PySide6_Essentials"]
    assert rows["llama_cpp_python"] == "MIT"
    assert {"mcp", "pypdfium2", "huggingface_hub", "pillow"} <= {name.lower() for name in rows}
    assert "mistral_common" not in {name.lower() for name in rows}  # a test tool only

    assert not dialog.license_text.isVisible()
    dialog.show_license.click()
    assert dialog.license_text.isVisible()
    assert dialog.license_text.toPlainText().strip().startswith("Apache License")
    dialog.close()
