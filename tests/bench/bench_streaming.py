"""Streaming and opening benchmark of the chat view (prints figures; not a test).

    QT_QPA_PLATFORM=offscreen python -m tests.bench.bench_streaming

A conversation already holding about 128K tokens of mixed markdown (about 500K characters),
then (a) an answer streamed at 150 tokens/s, delivered as the engine controller does, about
30 times a second, while a 1 ms probe timer measures how late the event loop runs; (b) the cost
of one update when the streamed message holds 1K versus 100K characters; (c) the time to open
the conversation until it is painted.
"""

from __future__ import annotations

import os
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QElapsedTimer, QTimer
from PySide6.QtWidgets import QApplication

from app.core.conversation import ConversationSnapshot, MessageNode, MessageState
from app.core.messages import ChatMessage, Role
from app.ui.chat_view import ChatView

CHARS_PER_TOKEN = 4
TOKENS_PER_S = 150
FLUSHES_PER_S = 30

ANSWER = """## Section {i}

Here is a paragraph about topic {i}, with **bold**, `code` and a [link](https://example.org).
It continues on a second line to make it longer than a single sentence.

- first point about {i}
- second point, slightly longer than the first one

```python
def compute_{i}(values: list[int]) -> int:
    total = 0
    for value in values:
        total += value * {i}
    return total
```

| key | value |
|-----|-------|
| a   | {i}   |

"""


def conversation(total_chars: int) -> ConversationSnapshot:
    nodes: list[MessageNode] = []
    size, i = 0, 0
    while size < total_chars:
        question = ChatMessage(Role.USER, f"Question {i}: explain topic {i} with an example?")
        answer = ChatMessage(Role.ASSISTANT, ANSWER.format(i=i) * 3)
        parent = nodes[-1].id if nodes else None
        nodes.append(MessageNode(2 * i + 1, parent, question))
        nodes.append(MessageNode(2 * i + 2, 2 * i + 1, answer))
        size += len(question.content) + len(answer.content)
        i += 1
    return ConversationSnapshot(1, tuple(nodes), nodes[-1].id)


def stream_text(chars: int) -> str:
    text, i = "", 0
    while len(text) < chars:
        text += ANSWER.format(i=i)
        i += 1
    return text[:chars]


def measure_open(app: QApplication, view: ChatView, snapshot: ConversationSnapshot) -> float:
    started = time.perf_counter()
    view.show_turns(snapshot.turns(), None)
    view.repaint()
    app.processEvents()
    return time.perf_counter() - started


def measure_stream(app: QApplication, view: ChatView, seconds: float) -> list[float]:
    """Event-loop lateness (ms) of a 1 ms probe while an answer streams in."""
    message_id = view.message_widgets[-1].message_id
    view.begin_streaming(message_id, "")
    text = stream_text(int(seconds * TOKENS_PER_S * CHARS_PER_TOKEN))
    piece = TOKENS_PER_S * CHARS_PER_TOKEN // FLUSHES_PER_S
    position = 0

    def flush() -> None:
        nonlocal position
        view.append_streaming(message_id, text[position : position + piece])
        position += piece

    lateness: list[float] = []
    clock = QElapsedTimer()
    clock.start()
    last = clock.nsecsElapsed()

    def probe() -> None:
        nonlocal last
        now = clock.nsecsElapsed()
        lateness.append(max(0.0, (now - last) / 1e6 - 1.0))
        last = now

    flusher, prober = QTimer(), QTimer()
    flusher.timeout.connect(flush)
    prober.timeout.connect(probe)
    flusher.start(1000 // FLUSHES_PER_S)
    prober.start(1)
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        app.processEvents()
    flusher.stop()
    prober.stop()
    view.end_streaming(message_id, MessageState.COMPLETE)
    return lateness


def measure_update_cost(
    app: QApplication, view: ChatView, prefill: int, updates: int = 60
) -> float:
    """Median seconds for one update (append + layout + paint) of a message of `prefill` chars."""
    message_id = view.message_widgets[-1].message_id
    view.begin_streaming(message_id, stream_text(prefill))
    app.processEvents()
    costs = []
    delta = "word " * 4
    for index in range(updates):
        if index % 20 == 19:
            delta = "\n\n"  # close the block now and then, as real text does
        started = time.perf_counter()
        view.append_streaming(message_id, delta)
        view.repaint()
        app.processEvents()
        costs.append(time.perf_counter() - started)
        delta = "word " * 4
    view.end_streaming(message_id, MessageState.COMPLETE)
    return statistics.median(costs)


def main() -> None:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    view = ChatView()
    view.resize(1000, 800)
    view.show()
    app.processEvents()
    snapshot = conversation(128_000 * CHARS_PER_TOKEN)
    open_s = measure_open(app, view, snapshot)
    lateness = sorted(measure_stream(app, view, seconds=8))
    p50 = lateness[len(lateness) // 2]
    p99 = lateness[int(len(lateness) * 0.99)]
    cost_1k = measure_update_cost(app, view, 1_000)
    cost_100k = measure_update_cost(app, view, 100_000)
    rows = [
        ("messages in the conversation", f"{len(snapshot.nodes)}", ""),
        (
            "characters in the conversation",
            f"{sum(len(n.message.content) for n in snapshot.nodes):,}",
            "",
        ),
        ("open until painted", f"{open_s * 1000:.0f} ms", "<= 300 ms"),
        ("event-loop stall p50 while streaming", f"{p50:.1f} ms", ""),
        ("event-loop stall p99 while streaming", f"{p99:.1f} ms", "<= 16 ms"),
        ("event-loop stall max", f"{lateness[-1]:.1f} ms", ""),
        ("one update at 1K characters", f"{cost_1k * 1000:.2f} ms", ""),
        ("one update at 100K characters", f"{cost_100k * 1000:.2f} ms", ""),
        ("ratio 100K / 1K", f"{cost_100k / cost_1k:.2f}", "<= 1.5"),
    ]
    for name, value, target in rows:
        print(f"{name:40} {value:>12}  {target}")


if __name__ == "__main__":
    main()
