"""MCP result blocks as the model reads them, including what cannot be used as it came."""

from __future__ import annotations

import base64
import io

from mcp_types import (
    AudioContent,
    BlobResourceContents,
    EmbeddedResource,
    ImageContent,
    TextContent,
)
from PIL import Image

from app.media.prepare import MAX_IMAGES
from app.tools.mcp_content import tool_output


def png(width: int, height: int) -> str:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (0, 90, 200)).save(out, format="PNG")
    return base64.b64encode(out.getvalue()).decode("ascii")


def test_broken_images_are_named_in_the_text_and_left_out() -> None:
    blocks = [
        ImageContent(type="image", data="not base64!", mime_type="image/png"),
        ImageContent(type="image", data=base64.b64encode(b"GIF89a...").decode(), mime_type="x/y"),
    ]
    output = tool_output(blocks)
    first, second = output.text.splitlines()
    assert first == "[image 1 (image/png): unreadable, its data is not valid base64]"
    assert second.startswith("[image 1 (x/y): unreadable, ")
    assert output.images == ()


def test_images_past_what_a_message_takes_are_left_out_saying_so() -> None:
    data = png(8, 8)
    blocks = [ImageContent(type="image", data=data, mime_type="image/png")] * (MAX_IMAGES + 1)
    output = tool_output(blocks)
    assert len(output.images) == MAX_IMAGES
    last = output.text.splitlines()[-1]
    assert (
        last
        == f"[image {MAX_IMAGES + 1} (image/png): left out, only {MAX_IMAGES} images fit a message]"
    )


def test_binary_resources_audio_and_structured_results() -> None:
    blob = BlobResourceContents(uri="file:///a.bin", mime_type="application/zip", blob="AAAA")
    blocks = [
        EmbeddedResource(type="resource", resource=blob),
        AudioContent(type="audio", data="AAAA", mime_type="audio/wav"),
    ]
    assert tool_output(blocks).text == (
        "[resource] <file:///a.bin> (application/zip): 3 bytes of binary data, not shown\n"
        "[audio (audio/wav): not readable here]"
    )
    assert tool_output([], {"sum": 3}).text == '{"sum": 3}'
    assert tool_output([TextContent(type="text", text="3")], {"sum": 3}).text == "3"
