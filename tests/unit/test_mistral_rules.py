"""Mistral's rules for a conversation: what is rewritten, what is refused (and named)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.messages import (
    ChatMessage,
    ImagePart,
    Role,
    ToolCall,
    ToolSpec,
    user_parts,
    with_parts,
)
from app.core.mistral_rules import (
    ConversationRefused,
    normalize_arguments,
    prepare,
    tool_name_problem,
)

PICTURE = ImagePart(Path("a.png"), "a" * 64)
OTHER = ImagePart(Path("b.png"), "b" * 64)


def user(text: str, *images: ImagePart) -> ChatMessage:
    return ChatMessage(Role.USER, text, images=images)


def answer(text: str, *calls: ToolCall) -> ChatMessage:
    return ChatMessage(Role.ASSISTANT, text, tool_calls=calls)


def result(call_id: str, text: str = "ok") -> ChatMessage:
    return ChatMessage(Role.TOOL, text, tool_call_id=call_id)


@pytest.mark.parametrize(
    ("given", "written"),
    [
        ("", "{}"),
        ('{"city":"Zürich"}', '{"city": "Zürich"}'),
        ('{"city": "Z\\u00fcrich"}', '{"city": "Zürich"}'),
        ("city=Paris", '"city=Paris"'),
        ('</s>"', '"</s>\\""'),
        ("42", "42"),
    ],
)
def test_arguments_are_normalized_as_mistral_does(given: str, written: str) -> None:
    assert normalize_arguments(given) == written


@pytest.mark.parametrize("name", ["get_weather", "a", "web-search_2", "x" * 64])
def test_names_the_model_can_call(name: str) -> None:
    assert tool_name_problem(name) is None


@pytest.mark.parametrize("name", ["", "get weather", "get.weather", "x" * 65, "météo", "a/b"])
def test_names_the_model_cannot_call(name: str) -> None:
    problem = tool_name_problem(name)
    assert problem is not None and repr(name) in problem


def test_parts_keep_their_order() -> None:
    message = with_parts(ChatMessage(Role.USER), ["Compare ", PICTURE, "with ", OTHER])
    assert (message.content, message.image_offsets) == ("Compare with ", (8, 13))
    assert user_parts(message) == ["Compare ", PICTURE, "with ", OTHER]
    assert user_parts(user("Look", PICTURE, OTHER)) == [PICTURE, OTHER, "Look"]
    assert with_parts(ChatMessage(Role.USER), [PICTURE, "x"]).image_offsets == ()


def test_messages_of_a_role_in_a_row_are_joined() -> None:
    joined = prepare([user("One"), user(""), user("Two", PICTURE), answer("A "), answer("B  ")])
    assert [m.role for m in joined] == [Role.USER, Role.ASSISTANT]
    assert user_parts(joined[0]) == ["One", PICTURE, "Two"]
    assert joined[1].content == "A \n\nB"


def test_a_text_then_one_image_has_the_image_first() -> None:
    [message] = prepare([with_parts(ChatMessage(Role.USER), ["Look", PICTURE])])
    assert user_parts(message) == [PICTURE, "Look"]
    [kept] = prepare([with_parts(ChatMessage(Role.USER), ["Look", PICTURE, OTHER])])
    assert user_parts(kept) == ["Look", PICTURE, OTHER]


def test_answers_lose_trailing_spaces_only() -> None:
    prepared = prepare([user("Hi"), answer("Hello \n  "), user("Bye"), answer("  ")])
    assert [m.content for m in prepared] == ["Hi", "Hello \n", "Bye", ""]
    [_, prefix] = prepare([user("Hi"), answer("Soft rain ")], continue_last=True)
    assert prefix.content == "Soft rain"


def test_results_come_in_the_order_of_their_calls() -> None:
    calls = (ToolCall("aaaaaaaa1", "f", ""), ToolCall("bbbbbbbb2", "f", "x"))
    prepared = prepare([user("Go"), answer("", *calls), result("bbbbbbbb2"), result("aaaaaaaa1")])
    assert [m.tool_call_id for m in prepared[2:]] == ["aaaaaaaa1", "bbbbbbbb2"]
    assert [c.arguments for c in prepared[1].tool_calls] == ["{}", '"x"']


CALL = ToolCall("a1B2c3D4e", "get_weather", "{}")


@pytest.mark.parametrize(
    ("messages", "reason"),
    [
        ([user("Hi"), answer(""), user("?")], "Message 2: an assistant message needs text or"),
        ([user("Hi"), answer("Yo"), ChatMessage(Role.SYSTEM, "x")], "Message 3: A system message"),
        (
            [user("Hi"), answer("", CALL), result(CALL.id), ChatMessage(Role.SYSTEM, "x")],
            "Message 4",
        ),
        (
            [user("Hi"), answer("", ToolCall("a1B2c3D4e", "no way", "{}"))],
            "Message 2: the tool name",
        ),
        ([user("Hi"), answer("", ToolCall("short", "f", "{}"))], "Message 2: the tool call id"),
        ([user("Hi"), answer("", CALL), result("zzzzzzzzz")], "Message 3: .* answers no call"),
        ([user("Hi"), answer("", CALL, CALL), result(CALL.id)], "Message 2: two tool calls"),
        ([user("Hi"), answer("", CALL), result(CALL.id), result(CALL.id)], "Message 4: a second"),
        ([user("Hi"), ChatMessage(Role.ASSISTANT, "x", images=(PICTURE,))], "Message 2: only user"),
    ],
)
def test_what_mistral_refuses_is_refused_with_the_message_named(
    messages: list[ChatMessage], reason: str
) -> None:
    with pytest.raises(ConversationRefused, match=reason):
        prepare(messages)


def test_an_empty_answer_to_continue_is_refused() -> None:
    with pytest.raises(ConversationRefused, match="Message 2: an answer to continue needs text"):
        prepare([user("Hi"), answer("")], continue_last=True)


def test_tools_the_model_cannot_call_are_refused() -> None:
    with pytest.raises(ConversationRefused, match="A tool offered to the model: the tool name"):
        prepare([user("Hi")], tools=[ToolSpec("two words", "", {})])
