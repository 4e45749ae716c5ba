"""Tokenizing a 128K-token conversation: Tekken's own tokenizer against llama.cpp's.

Run as `python -m tests.bench.bench_tokenizer [tokens]`. The conversation (text in many
languages, code, tool calls) is rendered by the built-in template and tokenized whole, as a first
prompt is, by each tokenizer (best of five); then through the engine's per-message memo, the
follow-up turn that adds one message to that history. The vocabulary is the real Tekken one in
the tests' tiny GGUF file; llama.cpp's vocabulary code is the same for the full-size model.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable

import llama_cpp

from app.core.messages import ChatMessage, Role, ToolCall
from app.engine.prompt import Tokenize, TokenMemo, tokenize_parts
from app.engine.template import ChatTemplate, PromptPart
from app.engine.tokenizer import TekkenTokenizer, llama_tokenizer
from tests.fixtures.models import cached_model
from tests.integration.conformance_cases import LANGUAGES

TARGET_TOKENS = 128_000
RUNS = 5
PROSE = (
    "The committee met on Tuesday to review the quarterly figures. Revenue rose by 4.2% while "
    "costs fell slightly, mostly thanks to the new supplier contract signed in March. "
)
CODE = "def total(items):\n    return sum(item.price * item.count for item in items)\n\n"


def conversation(turns: int) -> list[ChatMessage]:
    samples = list(LANGUAGES.values())
    messages: list[ChatMessage] = []
    for turn in range(turns):
        sample = samples[turn % len(samples)]
        question = f"Question {turn}: {sample} {PROSE * 3}{CODE}"
        messages.append(ChatMessage(Role.USER, question))
        if turn % 7 == 3:
            call_id = f"call{turn:05d}"
            arguments = json.dumps({"query": sample, "page": turn})
            messages.append(
                ChatMessage(
                    Role.ASSISTANT, "", tool_calls=(ToolCall(call_id, "search", arguments),)
                )
            )
            messages.append(ChatMessage(Role.TOOL, f"{sample} {PROSE}", tool_call_id=call_id))
        messages.append(ChatMessage(Role.ASSISTANT, f"Answer {turn}: {PROSE * 4}{sample}"))
    return messages


def best_of(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def main(argv: list[str]) -> None:
    target = int(argv[0]) if argv else TARGET_TOKENS
    llm = llama_cpp.Llama(str(cached_model("tiny")), vocab_only=True, verbose=False)
    started = time.perf_counter()
    tekken = TekkenTokenizer.for_model(llm)
    built = time.perf_counter() - started
    assert tekken is not None
    llama = llama_tokenizer(llm)
    template = ChatTemplate.builtin()

    turns = 8
    while True:
        history = conversation(turns)
        parts = template.render_parts(history)
        count = len(tokenize_parts(parts, tekken))
        if count >= target:
            break
        turns = int(turns * target / count) + 1

    def whole(tokenize: Tokenize, prompt: list[PromptPart]) -> Callable[[], object]:
        return lambda: tokenize_parts(prompt, tokenize)

    llama_s = best_of(RUNS, whole(llama, parts))
    tekken_s = best_of(RUNS, whole(tekken, parts))
    same = tokenize_parts(parts, llama) == tokenize_parts(parts, tekken)

    follow_up = [*history, ChatMessage(Role.USER, "And in one sentence?")]
    follow_parts = template.render_parts(follow_up)

    def memo_follow_up() -> float:
        memo = TokenMemo(tekken)
        tokenize_parts(parts, memo)
        memo.next_prompt()
        started = time.perf_counter()
        tokenize_parts(follow_parts, memo)
        return time.perf_counter() - started

    follow_s = min(memo_follow_up() for _ in range(RUNS))
    print(f"conversation: {len(history)} messages, {count:,} tokens ({turns} turns)")
    print(f"Tekken tokenizer built from the GGUF vocabulary: {built:.2f} s")
    print(f"llama.cpp tokenizer, whole prompt: {llama_s * 1000:.0f} ms")
    print(f"Tekken tokenizer (tiktoken), whole prompt: {tekken_s * 1000:.0f} ms")
    print(f"ratio Tekken / llama.cpp: {tekken_s / llama_s:.2f}")
    print(f"the two agree on this prompt: {same}")
    print(f"follow-up turn through the memo: {follow_s * 1000:.1f} ms")


if __name__ == "__main__":
    main(sys.argv[1:])
