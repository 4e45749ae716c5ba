"""Images of tool results reach a seeing model in a user turn after the results, in order."""

from __future__ import annotations

from pathlib import Path

from app.core.messages import ChatMessage, ImagePart, Role, ToolCall
from app.engine.template import MEDIA_MARKER, ChatTemplate, tool_images_as_user_turns

CALLS = (ToolCall("call00001", "snap", "{}"), ToolCall("call00002", "plot", "{}"))
SNAP, PLOT, PHOTO = (ImagePart(Path(f"{n}.png"), n * 64) for n in "abc")


def round_with_images() -> list[ChatMessage]:
    return [
        ChatMessage(Role.USER, "Show me"),
        ChatMessage(Role.ASSISTANT, "", tool_calls=CALLS),
        ChatMessage(Role.TOOL, "a screen", (SNAP,), tool_call_id="call00001", name="snap"),
        ChatMessage(Role.TOOL, "a chart", (PLOT,), tool_call_id="call00002", name="plot"),
    ]


def test_the_images_follow_the_results_in_a_user_turn() -> None:
    moved = tool_images_as_user_turns(round_with_images())
    assert [m.role for m in moved] == [Role.USER, Role.ASSISTANT, Role.TOOL, Role.TOOL, Role.USER]
    assert [m.images for m in moved] == [(), (), (), (), (SNAP, PLOT)]
    assert moved[-1].content == "(The images returned by snap, plot.)"
    prompt = ChatTemplate.builtin().render(moved, add_generation_prompt=True)
    assert prompt.endswith(
        "[TOOL_RESULTS]call00002[TOOL_CONTENT]a chart[/TOOL_RESULTS]"
        f"[INST]{MEDIA_MARKER}{MEDIA_MARKER}(The images returned by snap, plot.)[/INST]"
    )


def test_a_user_message_right_after_the_results_takes_them_first() -> None:
    messages = [*round_with_images(), ChatMessage(Role.USER, "And this?", (PHOTO,))]
    moved = tool_images_as_user_turns(messages)
    assert [m.role for m in moved][-3:] == [Role.TOOL, Role.TOOL, Role.USER]
    assert moved[-1] == ChatMessage(Role.USER, "And this?", (SNAP, PLOT, PHOTO))
    rendered = ChatTemplate.builtin().render(messages)  # renders: roles still alternate
    assert rendered.endswith(f"[INST]{MEDIA_MARKER * 3}And this?[/INST]")


def test_results_without_images_are_left_as_they_are() -> None:
    messages = [*round_with_images()[:2], ChatMessage(Role.TOOL, "ok", tool_call_id="call00001")]
    assert tool_images_as_user_turns(messages) == messages
