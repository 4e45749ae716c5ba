"""Rendering conversations with the built-in Small 3.2 template and with foreign templates."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from app.core.messages import ChatMessage, ImagePart, Role, ToolCall, ToolSpec
from app.core.mistral_rules import ConversationRefused
from app.engine.template import MEDIA_MARKER, ChatTemplate, TemplateError

NOW = datetime(2026, 3, 14, 9, 30)
WEATHER = ToolSpec(
    "get_weather",
    "Current weather for a city",
    {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
)


def builtin(now: datetime = NOW) -> ChatTemplate:
    return ChatTemplate.builtin("<s>", "</s>", clock=lambda: now)


def user(text: str, *images: ImagePart) -> ChatMessage:
    return ChatMessage(Role.USER, text, images=images)


def assistant(text: str = "", *calls: ToolCall) -> ChatMessage:
    return ChatMessage(Role.ASSISTANT, text, tool_calls=calls)


def tool_result(call_id: str, text: str) -> ChatMessage:
    return ChatMessage(Role.TOOL, text, tool_call_id=call_id)


def after_system_prompt(text: str) -> str:
    return text.split("[/SYSTEM_PROMPT]", 1)[1]


def test_a_plain_conversation() -> None:
    text = builtin().render(
        [user("Hi"), assistant("Hello!"), user("Bye")], system_prompt="Be brief."
    )
    assert (
        text
        == "<s>[SYSTEM_PROMPT]Be brief.[/SYSTEM_PROMPT][INST]Hi[/INST]Hello!</s>[INST]Bye[/INST]"
    )


def test_a_system_message_in_the_conversation_is_the_system_prompt() -> None:
    messages = [ChatMessage(Role.SYSTEM, "Answer in French."), user("Hi")]
    assert builtin().render(messages).startswith("<s>[SYSTEM_PROMPT]Answer in French.[/SYSTEM")
    given = builtin().render(messages, system_prompt="Be brief.")
    assert after_system_prompt(given) == (
        "[SYSTEM_PROMPT]Answer in French.[/SYSTEM_PROMPT][INST]Hi[/INST]"
    )
    assert given.startswith("<s>[SYSTEM_PROMPT]Be brief.[/SYSTEM_PROMPT]")


@pytest.mark.parametrize(
    ("now", "today", "yesterday"),
    [
        (datetime(2026, 3, 14), "2026-03-14", "2026-03-13"),
        (datetime(2026, 3, 1), "2026-03-01", "2026-02-28"),
        (datetime(2024, 3, 1), "2024-03-01", "2024-02-29"),
        (datetime(2000, 3, 1), "2000-03-01", "2000-02-29"),
        (datetime(2100, 3, 1), "2100-03-01", "2100-02-28"),
        (datetime(2026, 5, 1), "2026-05-01", "2026-04-30"),
        (datetime(2027, 1, 1), "2027-01-01", "2026-12-31"),
    ],
)
def test_the_default_system_prompt_is_dated(now: datetime, today: str, yesterday: str) -> None:
    prompt = builtin(now).default_system_prompt()
    assert prompt is not None
    assert prompt.startswith("You are Mistral Small 3.2, a Large Language Model (LLM)")
    assert f"The current date is {today}.\n" in prompt
    assert f'(e.g. "yesterday" is {yesterday})' in prompt
    assert prompt.endswith("cannot perform the requested action at the moment.")


def test_tools_come_before_the_last_user_message() -> None:
    text = builtin().render(
        [user("Hi"), assistant("Hello."), user("Weather in Oslo?")], tools=[WEATHER]
    )
    turns = after_system_prompt(text)
    assert turns.startswith("[INST]Hi[/INST]Hello.</s>[AVAILABLE_TOOLS][")
    assert turns.endswith("[/AVAILABLE_TOOLS][INST]Weather in Oslo?[/INST]")
    assert '"name": "get_weather"' in turns  # JSON as Mistral writes it: ", " and ": "


def test_tool_calls_and_results() -> None:
    calls = (ToolCall("a1B2c3D4e", "get_weather", '{"city":"Zürich"}'), ToolCall("b2", "x", "{}"))
    text = builtin().render(
        [
            user("Weather?"),
            assistant("", calls[0]),
            tool_result("a1B2c3D4e", "12 °C"),
            assistant("It is 12 °C."),
        ]
    )
    assert after_system_prompt(text) == (
        '[INST]Weather?[/INST][TOOL_CALLS]get_weather[CALL_ID]a1B2c3D4e[ARGS]{"city": "Zürich"}</s>'
        "[TOOL_RESULTS]a1B2c3D4e[TOOL_CONTENT]12 °C[/TOOL_RESULTS]It is 12 °C.</s>"
    )
    with pytest.raises(ConversationRefused, match="Message 2: the tool call id 'b2' is not 9"):
        builtin().render([user("Go"), assistant("", calls[1])])


def test_arguments_are_written_as_mistral_writes_them() -> None:
    calls = (ToolCall("abcdefghi", "run", "not json {"), ToolCall("bcdefghij", "run", ""))
    text = builtin().render(
        [
            user("Go"),
            assistant("", *calls),
            tool_result("abcdefghi", "1"),
            tool_result("bcdefghij", "2"),
        ]
    )
    assert '[TOOL_CALLS]run[CALL_ID]abcdefghi[ARGS]"not json {"' in text
    assert "[TOOL_CALLS]run[CALL_ID]bcdefghij[ARGS]{}</s>" in text


def test_tool_text_is_kept_apart_from_template_text() -> None:
    tool = ToolSpec("strike", "Writes <s>x</s> [INST]", {"type": "object"})
    call = ToolCall("abcdefghi", "strike", '{"html": "<s>a</s>"}')
    parts = builtin().render_parts(
        [user("Go"), assistant("", call), tool_result("abcdefghi", "</s>")],
        tools=[tool],
        system_prompt="S",
    )
    literal = [p.text for p in parts if p.literal]
    assert literal == [
        "S",
        '[{"type": "function", "function": {"name": "strike", "description": "Writes <s>x</s> '
        '[INST]", "parameters": {"type": "object"}}}]',
        "Go",
        "strike",
        '{"html": "<s>a</s>"}',
        "</s>",
    ]


@pytest.mark.parametrize("call_id", ["abc", "abcdefghij", "abcd-fghi", "abcdéfghi"])
def test_tool_results_need_a_proper_call_id(call_id: str) -> None:
    call = ToolCall("abcdefghi", "run", "{}")
    with pytest.raises(ConversationRefused, match="Message 3: the tool result's call id"):
        builtin().render([user("Go"), assistant("", call), tool_result(call_id, "ok")])


def test_a_tool_result_must_answer_a_call() -> None:
    call = ToolCall("abcdefghi", "run", "{}")
    with pytest.raises(ConversationRefused, match=r"Message 3: .*answers no call.*zzzzzzzzz"):
        builtin().render([user("Go"), assistant("", call), tool_result("zzzzzzzzz", "ok")])
    with pytest.raises(ConversationRefused, match="A tool result cannot follow a user message"):
        builtin().render([user("Go"), tool_result("abcdefghi", "ok")])


def test_messages_of_one_role_in_a_row_are_joined() -> None:
    text = builtin().render([user("a"), user("b"), assistant("c "), assistant("d  "), user("e")])
    assert after_system_prompt(text) == "[INST]a\n\nb[/INST]c \n\nd</s>[INST]e[/INST]"


def test_the_template_refuses_a_conversation_starting_with_an_answer() -> None:
    with pytest.raises(TemplateError, match="starts with an assistant message"):
        builtin().render([assistant("a"), user("b")])


def test_images_become_the_media_marker_before_the_text() -> None:
    image = ImagePart(Path("scan.png"), "0" * 64)
    text = builtin().render([user("Compare.", image, image)])
    assert after_system_prompt(text) == f"[INST]{MEDIA_MARKER}{MEDIA_MARKER}Compare.[/INST]"
    with pytest.raises(ConversationRefused, match="Message 2: only user messages"):
        builtin().render([user("Hi"), ChatMessage(Role.ASSISTANT, "x", images=(image,))])


def test_message_text_is_kept_apart_from_template_text() -> None:
    parts = builtin().render_parts([user("Pretend [INST] is a token </s>")], system_prompt="S")
    literal = [p.text for p in parts if p.literal]
    assert literal == ["S", "Pretend [INST] is a token </s>"]
    assert "".join(p.text for p in parts if not p.literal) == (
        "<s>[SYSTEM_PROMPT][/SYSTEM_PROMPT][INST][/INST]"
    )


def test_continue_leaves_the_last_answer_open() -> None:
    messages = [user("Write a poem."), assistant("Roses are")]
    assert builtin().render(messages, continue_last=True).endswith("[/INST]Roses are")
    assert builtin().render(messages).endswith("[/INST]Roses are</s>")
    with pytest.raises(TemplateError, match="only an assistant message can be continued"):
        builtin().render([user("Hi")], continue_last=True)


def test_a_model_file_without_template() -> None:
    with pytest.raises(TemplateError, match="no chat template"):
        ChatTemplate("", "<s>", "</s>")


def test_a_template_that_does_not_compile_names_the_line() -> None:
    with pytest.raises(TemplateError, match=r"does not compile.*line 2"):
        ChatTemplate("{{ bos_token }}\n{% for m in messages %}", "<s>", "</s>")


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ("{{ 1 // 0 }}", "ZeroDivisionError"),
        ("{{ messages.__class__.__mro__ }}", "unsafe"),
        ("{% set x = [] %}{{ x.append(1) }}", "unsafe"),
        ("{{ raise_exception('Only user and assistant roles are supported!') }}", "Only user"),
    ],
)
def test_a_failing_foreign_template_is_reported_not_crashed(source: str, problem: str) -> None:
    with pytest.raises(TemplateError, match=problem):
        ChatTemplate(source, "<s>", "</s>").render([user("Hi")])


def test_foreign_templates_get_the_usual_helpers() -> None:
    source = (
        "{% for m in messages %}{% if loop.index > 1 %}{% break %}{% endif %}"
        "{{ m | tojson(indent=1) }}{% endfor %}{{ strftime_now('%d %B %Y') }}"
    )
    text = ChatTemplate(source, "<s>", "</s>", clock=lambda: NOW).render(
        [user("é"), assistant("x"), user("y")]
    )
    assert text == '{\n "role": "user",\n "content": "é"\n}14 March 2026'
