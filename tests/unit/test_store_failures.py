"""What users run into: a full disk, a read-only folder, a second instance, a killed program."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app.core.conversation import MessageState
from app.core.messages import ChatMessage, Role
from app.store import SqliteStore, StoreError, StoreErrorKind, open_store
from app.store.errors import known_error

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "conversations.sqlite3"


def start(script: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


def test_a_full_disk_is_a_clear_error_and_keeps_what_was_saved(db_path: Path) -> None:
    store = SqliteStore(db_path)
    c = store.create_conversation("full")
    kept = store.add_message(c, None, ChatMessage(Role.USER, "saved before the disk filled"))
    store._db.pragma(f"max_page_count = {store._db.pragma('page_count')}")
    with pytest.raises(StoreError) as caught:
        store.add_message(c, kept, ChatMessage(Role.ASSISTANT, "x" * 200_000))
    assert caught.value.kind is StoreErrorKind.DISK_FULL
    assert "disk is full" in caught.value.message
    snapshot = store.snapshot(c)
    assert [n.message.content for n in snapshot.nodes] == ["saved before the disk filled"]
    store.rename_conversation(c, "still usable")  # the failed transaction was rolled back
    store.close()


def folder_is_writable(folder: Path) -> bool:
    probe = folder / "probe"
    try:
        probe.write_bytes(b"")
    except OSError:
        return False
    probe.unlink()
    return True


@pytest.mark.parametrize("existing", [False, True], ids=["new", "existing"])
def test_a_read_only_folder_is_a_clear_error(tmp_path: Path, existing: bool) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    if existing:
        SqliteStore(folder / "c.sqlite3").close()
    folder.chmod(0o500)
    try:
        if folder_is_writable(folder):
            pytest.skip("this user (root) can write into read-only folders")
        for opening in (open_store, SqliteStore):
            with pytest.raises(StoreError) as caught:
                opening(folder / "c.sqlite3")
            assert caught.value.kind is StoreErrorKind.READ_ONLY
            assert "read-only" in caught.value.message or "permissions" in caught.value.message
    finally:
        folder.chmod(0o700)


def test_a_write_to_a_read_only_database_is_a_read_only_error(db_path: Path) -> None:
    SqliteStore(db_path).close()
    raw = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError) as caught:
        raw.execute("INSERT INTO conversations (title, created_at, updated_at) VALUES ('x', 0, 0)")
    raw.close()
    known = known_error(caught.value)
    assert known is not None and known.kind is StoreErrorKind.READ_ONLY


HOLDER = """
import sys
from pathlib import Path
from app.core.conversation import MessageState
from app.core.messages import ChatMessage, Role
from app.store import open_store
store = open_store(Path(sys.argv[1]))
c = store.create_conversation("first instance")
store.add_message(c, None, ChatMessage(Role.ASSISTANT, "streaming"), MessageState.STREAMING)
print("ready", flush=True)
sys.stdin.readline()
"""


def test_a_second_instance_is_refused_and_a_dead_ones_lock_does_not_block(db_path: Path) -> None:
    with start(HOLDER, str(db_path)) as holder:
        assert holder.stdout is not None and holder.stdout.readline() == "ready\n"
        with pytest.raises(StoreError) as caught:
            open_store(db_path)
        assert caught.value.kind is StoreErrorKind.ALREADY_RUNNING
        assert "already running" in caught.value.message
        raw = sqlite3.connect(db_path)  # the refused instance changed nothing
        assert raw.execute("SELECT state FROM messages").fetchall() == [("streaming",)]
        raw.close()
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    assert db_path.with_name(db_path.name + ".lock").exists()  # left behind by the crash
    store = open_store(db_path)
    assert store.interrupted == 1
    store.close()


STREAMER = """
import sys, time
from pathlib import Path
from app.core.conversation import MessageState
from app.core.messages import ChatMessage, Role
from app.store import SqliteStore
store = SqliteStore(Path(sys.argv[1]), single_instance=True)
c = store.create_conversation("streaming")
q = store.add_message(c, None, ChatMessage(Role.USER, "go"))
a = store.add_message(c, q, ChatMessage(Role.ASSISTANT, ""), MessageState.STREAMING)
text, saved_at = "", 0.0
for i in range(1_000_000):
    text += f"w{i} "
    if time.monotonic() - saved_at >= 0.2 and store.checkpoint(a, text):
        saved_at = time.monotonic()
        print(len(text), flush=True)
    time.sleep(0.002)
"""


def test_kill_9_while_streaming_keeps_the_text_to_the_last_checkpoint(db_path: Path) -> None:
    with start(STREAMER, str(db_path)) as streamer:
        assert streamer.stdout is not None
        saved = [int(streamer.stdout.readline()) for _ in range(6)]
        streamer.send_signal(signal.SIGKILL)
        streamer.wait()
    assert streamer.returncode == -signal.SIGKILL
    raw = sqlite3.connect(db_path)
    assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    raw.close()

    store = open_store(db_path)
    (conversation,) = store.list_conversations()
    streamed = store.snapshot(conversation.id).active_path[-1]
    store.close()
    assert streamed.state is MessageState.INTERRUPTED
    text = streamed.message.content
    assert len(text) >= saved[-1]  # the last reported checkpoint (a later one may have landed)
    assert text == "".join(f"w{i} " for i in range(len(text.split())))


def test_the_lock_holds_until_close(db_path: Path) -> None:
    first = open_store(db_path)
    with pytest.raises(StoreError) as caught:
        open_store(db_path)  # a second open, even from the same process
    assert caught.value.kind is StoreErrorKind.ALREADY_RUNNING
    first.close()
    open_store(db_path).close()
