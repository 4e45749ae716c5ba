"""The remote engine against a real OpenAI-compatible server (llama-cpp-python's, on the tiny
model) and against a small server that misbehaves in every way the issue lists."""

from __future__ import annotations

import base64
import queue
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.context_fit import FitPolicy
from app.core.messages import ChatMessage, ImagePart, Role, ToolCall, ToolSpec
from app.core.sampling import SamplingParams
from app.core.tool_calls import ToolCallStream
from app.engine.protocol import (
    Backend,
    CountTokens,
    EngineError,
    ErrorKind,
    Event,
    Finished,
    FinishReason,
    Generate,
    Loaded,
    LoadModel,
    PromptFitted,
    TokenCount,
    TokenDelta,
)
from app.engine.remote import RemoteEngineClient, RemoteServer
from tests.fixtures.fake_openai import MODEL, FakeOpenAI

pytestmark = pytest.mark.integration

HELLO = (ChatMessage(Role.USER, "What is 2+2?"),)
SAMPLING = SamplingParams(max_tokens=12, seed=3)


class Probe:
    def __init__(self, server: RemoteServer) -> None:
        self.events: queue.Queue[Event] = queue.Queue()
        self.client = RemoteEngineClient(self.events.put, server)
        self.client.start()

    def next(self) -> Event:
        return self.events.get(timeout=30)

    def load(self) -> Event:
        self.client.send(LoadModel(Path("remote")))
        return self.next()

    def answer(self, request_id: int = 1, **options: object) -> tuple[list[str], list[Event]]:
        self.client.send(Generate(request_id, HELLO, SAMPLING, **options))  # type: ignore[arg-type]
        deltas: list[str] = []
        ends: list[Event] = []
        while True:
            event = self.next()
            if isinstance(event, TokenDelta):
                deltas.append(event.text)
            else:
                ends.append(event)
                if isinstance(event, Finished) and event.reason is not FinishReason.ERROR:
                    return deltas, ends
                if isinstance(event, EngineError):
                    return deltas, ends

    def close(self) -> None:
        self.client.stop()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def llama_server(tiny_model_path: Path) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(tiny_model_path),
         "--port", str(port), "--n_ctx", "2048", "--model_alias", "tiny"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}/v1"
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"{base}/models", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("llama-cpp-python's server did not start")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_real_server_streams_an_answer(llama_server: str) -> None:
    probe = Probe(RemoteServer(llama_server, n_ctx=2048))
    try:
        loaded = probe.load()
        assert isinstance(loaded, Loaded)
        assert loaded.backend is Backend.REMOTE
        assert str(loaded.model_path).startswith("tiny @ 127.0.0.1:")
        assert loaded.model_name.startswith("tiny on 127.0.0.1:")
        deltas, ends = probe.answer()
        finished = ends[-1]
        assert isinstance(finished, Finished)
        assert finished.reason in (FinishReason.STOP, FinishReason.LENGTH)
        assert len(deltas) > 1 and finished.text == "".join(deltas)
        assert finished.usage.completion_tokens == len(deltas)  # it reports no usage: counted
    finally:
        probe.close()


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI().running() as server:
        yield server


def test_an_answer_from_a_server_with_usage(fake: FakeOpenAI) -> None:
    probe = Probe(RemoteServer(fake.base_url, api_key="secret", model=MODEL))
    try:
        assert isinstance(probe.load(), Loaded)
        deltas, ends = probe.answer()
        assert deltas == ["The", " answer", " is", " 4."]
        finished = ends[-1]
        assert isinstance(finished, Finished)
        assert (finished.usage.prompt_tokens, finished.usage.completion_tokens) == (12, 4)
        request = fake.requests[-1]
        assert request["model"] == MODEL and request["stream"] is True
        assert request["messages"] == [{"role": "user", "content": "What is 2+2?"}]
    finally:
        probe.close()


def test_tool_calls_arrive_as_mistral_calls_the_window_parses(fake: FakeOpenAI) -> None:
    fake.mode = "tool"
    probe = Probe(RemoteServer(fake.base_url, model=MODEL))
    try:
        probe.load()
        tool = ToolSpec("calculator", "Arithmetic.", {"type": "object", "properties": {}})
        deltas, _ = probe.answer(tools=(tool,))
        parsed = ToolCallStream()
        shown = "".join(parsed.feed(d) for d in deltas)
        answer = parsed.finish()
        assert shown == "Let me add." and answer.content == "Let me add."
        assert [(c.name, c.arguments) for c in answer.calls] == [
            ("calculator", '{"expression": "2+2"}')
        ]
        assert fake.requests[-1]["tools"][0]["function"]["name"] == "calculator"
    finally:
        probe.close()


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("401", "refused the API key (401)"),
        ("403", "does not allow this (403)"),
        ("404", "has no model 'mistral-small-3.2' (404)"),
        ("429", "busy or over its limit (429)"),
        ("500", "failed (500)"),
        ("slow", "did not answer in time"),
        ("garbage", "The exchange with"),
    ],
)
def test_each_server_failure_is_a_clear_error(fake: FakeOpenAI, mode: str, message: str) -> None:
    probe = Probe(RemoteServer(fake.base_url, model=MODEL, timeout_s=1))
    try:
        probe.load()
        fake.mode = mode
        _, ends = probe.answer()
        error = ends[-1]
        assert isinstance(error, EngineError), ends
        assert message in error.message
        assert isinstance(ends[0], Finished) and ends[0].reason is FinishReason.ERROR
    finally:
        probe.close()


def test_a_stream_that_stops_keeps_the_partial_answer(fake: FakeOpenAI) -> None:
    fake.mode = "cut"
    probe = Probe(RemoteServer(fake.base_url, model=MODEL))
    try:
        probe.load()
        deltas, ends = probe.answer()
        assert deltas == ["The", " answer"]
        finished, error = ends
        assert isinstance(finished, Finished) and finished.text == "The answer"
        assert isinstance(error, EngineError)
    finally:
        probe.close()


def test_a_server_that_is_not_there_is_said_at_load() -> None:
    probe = Probe(RemoteServer(f"http://127.0.0.1:{free_port()}/v1", timeout_s=2))
    try:
        error = probe.load()
        assert isinstance(error, EngineError)
        assert "cannot be reached" in error.message
    finally:
        probe.close()


@pytest.mark.parametrize(("tokenizer", "expected"), [("vllm", 4 + 5), ("llama-server", 4 + 2)])
def test_the_count_is_the_servers_where_it_can_count(
    fake: FakeOpenAI, tokenizer: str, expected: int
) -> None:
    fake.tokenizer = tokenizer
    probe = Probe(RemoteServer(fake.base_url, model=MODEL))
    try:
        probe.load()
        probe.client.send(CountTokens(5, (ChatMessage(Role.USER, "one two three four"),)))
        count = probe.next()
        assert isinstance(count, TokenCount) and count.tokens == expected
    finally:
        probe.close()


def test_without_a_tokenizer_endpoint_the_count_is_an_estimate(fake: FakeOpenAI) -> None:
    probe = Probe(RemoteServer(fake.base_url, model=MODEL))
    try:
        probe.load()
        text = "word " * 350
        probe.client.send(CountTokens(5, (ChatMessage(Role.USER, text),)))
        count = probe.next()
        assert isinstance(count, TokenCount) and 400 < count.tokens < 700
    finally:
        probe.close()


def test_images_go_to_the_server_as_data_urls(fake: FakeOpenAI, tmp_path: Path) -> None:
    picture = tmp_path / "shot.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\nnot much of a picture")
    message = ChatMessage(Role.USER, "What is this?", images=(ImagePart(picture, "a" * 64),))
    probe = Probe(RemoteServer(fake.base_url, model=MODEL))
    try:
        probe.load()
        probe.client.send(Generate(9, (message,), SAMPLING))
        while not isinstance(probe.next(), Finished):
            pass
        [sent] = fake.requests[-1]["messages"]
        image, text = sent["content"]
        assert text == {"type": "text", "text": "What is this?"}
        url = image["image_url"]["url"]
        assert url.startswith("data:image/png;base64,")
        assert base64.b64decode(url.split(",", 1)[1]) == picture.read_bytes()
    finally:
        probe.close()


def test_images_of_tool_results_go_in_a_user_turn_after_them(
    fake: FakeOpenAI, tmp_path: Path
) -> None:
    picture = tmp_path / "chart.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\na chart")
    call = ToolCall("chart0001", "chart", "{}")
    messages = (
        ChatMessage(Role.USER, "Plot it"),
        ChatMessage(Role.ASSISTANT, "", tool_calls=(call,)),
        ChatMessage(
            Role.TOOL, "[image 1]", (ImagePart(picture, "b" * 64),), (), call.id, call.name
        ),
    )
    probe = Probe(RemoteServer(fake.base_url, model=MODEL))
    try:
        probe.load()
        probe.client.send(Generate(10, messages, SAMPLING))
        while not isinstance(probe.next(), Finished):
            pass
        sent = fake.requests[-1]["messages"]
        assert [m["role"] for m in sent] == ["user", "assistant", "tool", "user"]
        assert sent[2]["content"] == "[image 1]"
        image, text = sent[3]["content"]
        assert image["image_url"]["url"].startswith("data:image/png;base64,")
        assert text == {"type": "text", "text": "(The images returned by chart.)"}
    finally:
        probe.close()


def test_the_server_gets_mistrals_normalised_messages_and_refusals_stay_here(
    fake: FakeOpenAI,
) -> None:
    call = ToolCall("a1B2c3D4e", "get_weather", "city=Paris")
    messages = (
        ChatMessage(Role.USER, "First."),
        ChatMessage(Role.USER, "Second."),
        ChatMessage(Role.ASSISTANT, "Checking.  ", tool_calls=(call,)),
        ChatMessage(Role.TOOL, "sunny", tool_call_id=call.id),
    )
    probe = Probe(RemoteServer(fake.base_url, model=MODEL))
    try:
        probe.load()
        probe.client.send(Generate(4, messages, SAMPLING))
        while not isinstance(probe.next(), Finished):
            pass
        user, answer, _ = fake.requests[-1]["messages"]
        assert user == {"role": "user", "content": "First.\n\nSecond."}
        assert answer["content"] == "Checking."
        assert answer["tool_calls"][0]["function"]["arguments"] == '"city=Paris"'
        sent = len(fake.requests)
        refused = (*messages, ChatMessage(Role.SYSTEM, "New rules."))
        probe.client.send(Generate(5, refused, SAMPLING))
        error = probe.next()
        assert isinstance(error, EngineError) and error.kind is ErrorKind.REFUSED
        assert error.message == (
            "Not sent: Message 5: A system message cannot follow a tool result."
        )
        assert len(fake.requests) == sent
    finally:
        probe.close()


def test_a_server_answer_is_fitted_by_its_count_first(fake: FakeOpenAI) -> None:
    probe = Probe(RemoteServer(fake.base_url, model=MODEL, n_ctx=1024))
    try:
        probe.load()
        long = ChatMessage(Role.USER, "word " * 1000)
        policy = FitPolicy(answer_budget=128, turns=((0, 1),), leave_out=True, agreed=True)
        messages = (long, ChatMessage(Role.ASSISTANT, "Yes."), *HELLO)
        probe.client.send(Generate(6, messages, SAMPLING, fit=policy))
        fitted = probe.next()
        assert isinstance(fitted, PromptFitted) and fitted.sent
        assert fitted.fit.left_out_turns == 1 and fitted.fit.full_tokens > 1024 - 128
        assert isinstance(probe.next(), TokenDelta)
        sent = fake.requests[-1]["messages"]
        assert [m["content"] for m in sent] == [HELLO[0].content]
    finally:
        probe.close()
