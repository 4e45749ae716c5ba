"""Streaming and opening figures of the chat view (prints a table; not a test).

    QT_QPA_PLATFORM=offscreen python -m tests.bench.bench_streaming [--json] [--seconds 10]

The chat view holds a conversation of about 128K tokens of mixed markdown (headings, lists,
code, tables, quotes; about 500K characters), styled as the application styles it. Then:
(a) a new answer streams at 150 tokens/s from a producer thread, through a queued signal (as
    the engine controller delivers deltas) and the chat controller's `TextBatcher`, while a
    1 ms timer measures how late the event loop serves it (the stall);
(b) the cost of one update (append, layout, paint) when the answer holds 1K and 100K chars;
(c) opening the conversation until it is painted: first (nothing rendered yet) and again.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import threading
import time
from dataclasses import dataclass

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QElapsedTimer, QEventLoop, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication

from app.core.conversation import ConversationSnapshot, MessageNode, MessageState, TurnView
from app.core.messages import ChatMessage, Role
from app.qt_bridge.text_batcher import TextBatcher
from app.settings import AppearanceSettings
from app.ui.chat_view import ChatView
from app.ui.theme import ThemeManager

CHARS_PER_TOKEN = 4
CONVERSATION_TOKENS = 128_000
TOKENS_PER_S = 150

SECTION = """## Part {i}: how the cache behaves

The cache keeps **recent entries** and drops the oldest when it is full; see the
[notes](https://example.org/notes/{i}) and the `evict()` function for details.
Reads are cheap, writes take a lock.

- first, measure the hit rate with `stats()`;
- then size the cache to the working set;
  keep an eye on memory as well.
- finally, check the eviction order.

> Keep values immutable: a changed value behind a cached key is the usual bug.

```python

def evict_{i}(cache: dict[str, int], limit: int) -> list[str]:
    \"\"\"Drop the oldest keys until at most `limit` remain.\"\"\"
    dropped = []
    while len(cache) > limit:
        key = next(iter(cache))
        dropped.append(key)
        del cache[key]
    return dropped
```

| setting | default | meaning |
|---------|--------:|---------|
| limit   | {i}00   | entries kept |
| ttl     | 60      | seconds an entry lives |

"""


class _DeltaRelay(QObject):
    """Carries deltas from the producer thread to the GUI thread, as the engine controller does."""

    delta = Signal(str)


def answer_text(start: int, chars: int) -> str:
    parts, size, i = [], 0, start
    while size < chars:
        part = SECTION.format(i=i)
        parts.append(part)
        size += len(part)
        i += 1
    return "".join(parts)[:chars]


def conversation(total_chars: int) -> ConversationSnapshot:
    nodes: list[MessageNode] = []
    size, i = 0, 0
    while size < total_chars:
        question = ChatMessage(Role.USER, f"Question {i}: how should the cache for part {i} work?")
        answer = ChatMessage(Role.ASSISTANT, answer_text(i, 4_000))
        parent = nodes[-1].id if nodes else None
        nodes.append(MessageNode(2 * i + 1, parent, question))
        nodes.append(MessageNode(2 * i + 2, 2 * i + 1, answer))
        size += len(question.content) + len(answer.content)
        i += 1
    return ConversationSnapshot(1, tuple(nodes), nodes[-1].id)


def with_new_answer(snapshot: ConversationSnapshot) -> list[TurnView]:
    last = snapshot.nodes[-1]
    question = MessageNode(last.id + 1, last.id, ChatMessage(Role.USER, "And the next part?"))
    answer = MessageNode(
        last.id + 2, question.id, ChatMessage(Role.ASSISTANT, ""), MessageState.STREAMING
    )
    extended = ConversationSnapshot(1, (*snapshot.nodes, question, answer), answer.id)
    return extended.turns()


def paint_now(app: QApplication, view: ChatView) -> None:
    app.processEvents()
    view.viewport().repaint()


@dataclass
class Figures:
    messages: int
    characters: int
    turns_ms: float
    open_first_ms: float
    open_again_ms: float
    stall_p50_ms: float
    stall_p99_ms: float
    stall_max_ms: float
    flushes_per_s: float
    streamed_chars: int
    update_1k_ms: float
    update_100k_ms: float

    @property
    def ratio(self) -> float:
        return self.update_100k_ms / self.update_1k_ms


def measure_open(app: QApplication, view: ChatView, turns: list[TurnView]) -> float:
    view.show_turns([], None)
    paint_now(app, view)
    started = time.perf_counter()
    view.show_turns(turns, None)
    paint_now(app, view)
    return (time.perf_counter() - started) * 1000


def measure_stream(
    app: QApplication, view: ChatView, turns: list[TurnView], seconds: float
) -> tuple[list[float], int, int]:
    """Lateness (ms) of a 1 ms timer while an answer streams; flushes; characters streamed."""
    view.show_turns(turns, None)
    message_id = turns[-1].node.id
    view.begin_streaming(message_id, "")
    paint_now(app, view)
    batcher = TextBatcher()
    relay = _DeltaRelay()
    relay.delta.connect(batcher.push, Qt.ConnectionType.QueuedConnection)
    flushes = 0

    def show(text: str) -> None:
        nonlocal flushes
        flushes += 1
        view.append_streaming(message_id, text)

    batcher.flushed.connect(show)
    text = answer_text(1000, int(seconds * TOKENS_PER_S * CHARS_PER_TOKEN) + 1000)
    stop = threading.Event()

    def produce() -> None:  # the engine's reader thread: one delta per token
        position, step = 0, 1 / TOKENS_PER_S
        next_at = time.perf_counter()
        while not stop.is_set():
            relay.delta.emit(text[position : position + CHARS_PER_TOKEN])
            position += CHARS_PER_TOKEN
            next_at += step
            time.sleep(max(0.0, next_at - time.perf_counter()))

    lateness: list[float] = []
    clock = QElapsedTimer()
    clock.start()
    last = clock.nsecsElapsed()

    def probe() -> None:
        nonlocal last
        now = clock.nsecsElapsed()
        lateness.append(max(0.0, (now - last) / 1e6 - 1.0))
        last = now

    prober = QTimer()
    prober.setTimerType(Qt.TimerType.PreciseTimer)
    prober.timeout.connect(probe)
    loop = QEventLoop()
    producer = threading.Thread(target=produce, daemon=True)
    prober.start(1)
    producer.start()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()
    stop.set()
    producer.join()
    prober.stop()
    app.processEvents()
    batcher.flush()
    streamed = len(view.message_widgets[-1].text)
    view.end_streaming(message_id, MessageState.COMPLETE)
    return lateness[1:], flushes, streamed


def measure_update(
    app: QApplication, view: ChatView, turns: list[TurnView], prefill: int, updates: int = 60
) -> float:
    """Median ms of one update (append, layout, paint) of an answer holding `prefill` chars."""
    view.show_turns(turns, None)
    message_id = turns[-1].node.id
    view.begin_streaming(message_id, answer_text(2000, prefill))
    view.scroll_to_bottom()
    paint_now(app, view)
    costs = []
    pieces = answer_text(3000, updates * 20)
    for index in range(updates):
        started = time.perf_counter()
        view.append_streaming(message_id, pieces[index * 20 : (index + 1) * 20])
        paint_now(app, view)
        costs.append((time.perf_counter() - started) * 1000)
    view.end_streaming(message_id, MessageState.COMPLETE)
    return statistics.median(costs)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def run(seconds: float) -> Figures:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    ThemeManager(app).apply(AppearanceSettings())
    view = ChatView()
    view.resize(1000, 800)
    view.show()
    paint_now(app, view)
    snapshot = conversation(CONVERSATION_TOKENS * CHARS_PER_TOKEN)
    started = time.perf_counter()
    turns = snapshot.turns()
    turns_ms = (time.perf_counter() - started) * 1000
    open_first = measure_open(app, view, turns)
    open_again = measure_open(app, view, turns)
    streaming_turns = with_new_answer(snapshot)
    lateness, flushes, streamed = measure_stream(app, view, streaming_turns, seconds)
    update_1k = measure_update(app, view, streaming_turns, 1_000)
    update_100k = measure_update(app, view, streaming_turns, 100_000)
    return Figures(
        messages=len(snapshot.nodes),
        characters=sum(len(node.message.content) for node in snapshot.nodes),
        turns_ms=turns_ms,
        open_first_ms=open_first,
        open_again_ms=open_again,
        stall_p50_ms=percentile(lateness, 0.5),
        stall_p99_ms=percentile(lateness, 0.99),
        stall_max_ms=max(lateness),
        flushes_per_s=flushes / seconds,
        streamed_chars=streamed,
        update_1k_ms=update_1k,
        update_100k_ms=update_100k,
    )


def table(figures: Figures) -> str:
    rows = [
        ("messages in the conversation", f"{figures.messages}", ""),
        ("characters in the conversation", f"{figures.characters:,}", "~500K"),
        ("snapshot.turns() (controller side)", f"{figures.turns_ms:.0f} ms", ""),
        ("open until painted, first", f"{figures.open_first_ms:.0f} ms", "<= 300 ms"),
        ("open until painted, again", f"{figures.open_again_ms:.0f} ms", "<= 300 ms"),
        ("event-loop stall p50 while streaming", f"{figures.stall_p50_ms:.2f} ms", ""),
        ("event-loop stall p99 while streaming", f"{figures.stall_p99_ms:.2f} ms", "<= 16 ms"),
        ("event-loop stall max", f"{figures.stall_max_ms:.1f} ms", ""),
        ("view updates per second", f"{figures.flushes_per_s:.1f}", "~30"),
        ("characters streamed", f"{figures.streamed_chars:,}", ""),
        ("one update, answer of 1K chars", f"{figures.update_1k_ms:.2f} ms", ""),
        ("one update, answer of 100K chars", f"{figures.update_100k_ms:.2f} ms", ""),
        ("ratio 100K / 1K", f"{figures.ratio:.2f}", "<= 1.5"),
    ]
    return "\n".join(f"{name:40} {value:>12}  {target}" for name, value, target in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of the stream")
    arguments = parser.parse_args()
    figures = run(arguments.seconds)
    if arguments.json:
        print(json.dumps({**figures.__dict__, "ratio": figures.ratio}, indent=2))
    else:
        print(table(figures))


if __name__ == "__main__":
    main()
