"""Render the real main window with a conversation and save a screenshot of it.

Run as `python -m tests.qt.screenshot_app THEME OUT.png [--font-scale 2] [--language fr]` under
a real X server; it uses the real store (in TRAMONTANE_HOME) and the real widgets, with the
scripted engine answering. `--font-scale` multiplies the usual font size; `--language` is the
window's language, as Settings → Appearance → Language sets it, and the conversation is one a
user of that language has (English or French).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from app.main import build_window, open_window_store
from app.qt_bridge.engine_controller import EngineController, EngineState
from app.qt_bridge.language import WindowLanguage
from app.qt_bridge.settings_controller import SettingsController
from app.settings import AppearanceSettings, Settings, ThemeChoice
from app.ui.theme import ThemeManager
from tests.qt.scripted_engine import Script, fake_model_file, scripted_factory

WINDOW_SIZE = (1280, 900)
FONT_POINTS = 10  # the screenshots' usual font size


@dataclass(frozen=True)
class Conversation:
    """What the screenshot shows: earlier conversations (question, answer), then the question
    and answer on screen, written in one language."""

    earlier: list[tuple[str, str]]
    question: str
    answer: str


ENGLISH = Conversation(
    earlier=[
        ("Plan a weekend in Marseille", "Here is a relaxed two-day plan…"),
        ("Explain the difference between TCP and UDP", "TCP is connection-oriented…"),
        ("Translate 'the north wind' into Catalan", "*La tramuntana.*"),
    ],
    question="How do I read a large CSV file in Python without running out of memory?",
    answer="""\
Reading a large CSV **in chunks** keeps memory flat: you only hold one piece at a time.

## With the standard library

The `csv` module already streams rows one by one:

```python
import csv

def total_sales(path: str) -> float:
    total = 0.0
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            total += float(row["amount"])
    return total
```

## With pandas

Pass `chunksize` and aggregate as you go:

```python
import pandas as pd

totals = []
for chunk in pd.read_csv("sales.csv", chunksize=100_000):
    totals.append(chunk.groupby("region")["amount"].sum())
result = pd.concat(totals).groupby(level=0).sum()
```

A few tips:

1. Read only the columns you need with `usecols=[...]`.
2. Give narrow types with `dtype={"amount": "float32"}`.
3. For repeated analysis, convert once to **Parquet**.

| Approach | Memory | Speed |
|---|---|---|
| `csv` module | constant | moderate |
| pandas chunks | per chunk | fast |
| Parquet + pyarrow | columns only | fastest |
""",
)

FRENCH = Conversation(
    earlier=[
        ("Un week-end à Marseille en octobre", "Voici un programme tranquille sur deux jours…"),
        ("Quelle différence entre TCP et UDP ?", "TCP établit une connexion…"),
        ("Comment dit-on « tramontane » en catalan ?", "*La tramuntana.*"),
    ],
    question="Comment lire un gros fichier CSV en Python sans saturer la mémoire ?",
    answer="""\
Lire un gros CSV **par morceaux** garde la mémoire stable : vous n’en tenez qu’une partie à la fois.

## Avec la bibliothèque standard

Le module `csv` lit déjà les lignes une à une :

```python
import csv

def total_ventes(chemin: str) -> float:
    total = 0.0
    with open(chemin, newline="") as f:
        for ligne in csv.DictReader(f):
            total += float(ligne["montant"])
    return total
```

## Avec pandas

Passez `chunksize` et agrégez au fur et à mesure :

```python
import pandas as pd

totaux = []
for morceau in pd.read_csv("ventes.csv", sep=";", chunksize=100_000):
    totaux.append(morceau.groupby("region")["montant"].sum())
resultat = pd.concat(totaux).groupby(level=0).sum()
```

Quelques conseils :

1. Ne lisez que les colonnes utiles avec `usecols=[...]`.
2. Donnez des types étroits avec `dtype={"montant": "float32"}`.
3. Pour des analyses répétées, convertissez une fois en **Parquet**.

| Méthode | Mémoire | Vitesse |
|---|---|---|
| module `csv` | constante | moyenne |
| pandas par morceaux | un morceau | rapide |
| Parquet + pyarrow | colonnes lues | la plus rapide |
""",
)


def conversation_in(language: str) -> Conversation:
    """The conversation a user of `language` (the window's, as `WindowLanguage` chose it) has."""
    return FRENCH if language.split("_")[0] == "fr" else ENGLISH


def main(theme: str, out: Path, font_scale: float = 1.0, language: str | None = None) -> int:
    app = QApplication(sys.argv[:1])
    spoken = WindowLanguage(app).use(language)  # as the program does at start; None: the system's
    conversation = conversation_in(spoken)
    themes = ThemeManager(app)
    themes.apply(AppearanceSettings(ThemeChoice(theme), round(FONT_POINTS * font_scale)))
    script = Script(
        answers=[answer for _, answer in conversation.earlier] + [conversation.answer],
        token_interval_s=0.0005,
        n_ctx=32768,
    )
    engine = EngineController(scripted_factory(script))
    home = Path(os.environ["TRAMONTANE_HOME"])
    settings = SettingsController(Settings(user_name="Ada"), home / "settings.json")
    store = open_window_store()
    window = build_window(settings=settings, store=store, engine=engine, theme=themes)
    window.resize(*WINDOW_SIZE)
    window.show()
    prompts = [question for question, _ in conversation.earlier] + [conversation.question]

    def next_step() -> None:
        if window.chat.busy or engine.state is not EngineState.READY:
            QTimer.singleShot(50, next_step)
            return
        if prompts:
            if len(prompts) == 1:
                script.token_interval_s = 0.02  # a believable speed in the status bar
            window.new_chat()
            window.chat.send(prompts.pop(0))
            QTimer.singleShot(50, next_step)
            return
        QTimer.singleShot(400, save)

    def save() -> None:
        window.chat_view.verticalScrollBar().setValue(0)  # the question, then the answer
        window.grab().save(str(out))
        app.quit()

    window.loader.load(fake_model_file(Path(tempfile.mkdtemp())))
    QTimer.singleShot(100, next_step)
    code = app.exec()
    engine.shutdown()
    store.close()
    return code


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Save a screenshot of the main window.")
    parser.add_argument("theme", choices=[choice.value for choice in ThemeChoice])
    parser.add_argument("out", type=Path)
    parser.add_argument("--font-scale", type=float, default=1.0)
    parser.add_argument("--language", default=None, help="a locale name such as fr or fr_FR")
    return parser.parse_args()


if __name__ == "__main__":
    given = arguments()
    raise SystemExit(main(given.theme, given.out, given.font_scale, given.language))
