"""Preparing attached images: every accepted format, the encoder's size, orientation and
transparency, and every bad input refused with a clear message."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from app.media.prepare import MAX_SIDE, MediaError, page_count, prepare_bytes, prepare_file
from tests.fixtures.documents import bmp_header, photo, raw_pdf, save, scanned_pdf


def opened(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()
    return image


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("a.png", {}),
        ("a.jpg", {"quality": 90}),
        ("a.jpeg", {}),
        ("a.webp", {}),
        ("a.bmp", {}),
        ("a.gif", {}),
        ("a.tiff", {}),
    ],
)
def test_each_image_format_becomes_a_png_of_the_same_size(
    tmp_path: Path, name: str, options: dict[str, object]
) -> None:
    path = save(photo((400, 300)), tmp_path / name, **options)

    [prepared] = prepare_file(path)

    assert prepared.label == name and prepared.original == path
    image = opened(prepared.png)
    assert image.format == "PNG" and image.mode == "RGB" and image.size == (400, 300)
    assert (prepared.width, prepared.height) == (400, 300)
    assert len(prepared.sha256) == 64


def test_large_images_are_scaled_to_the_encoders_size_keeping_the_proportions(
    tmp_path: Path,
) -> None:
    [wide] = prepare_file(save(photo((4000, 1000)), tmp_path / "wide.png"))
    [tall] = prepare_file(save(photo((900, 3080)), tmp_path / "tall.jpg"))
    assert (wide.width, wide.height) == (MAX_SIDE, 385)
    assert (tall.width, tall.height) == (450, MAX_SIDE)


def test_exif_orientation_is_applied(tmp_path: Path) -> None:
    image = photo((400, 300))
    exif = image.getexif()
    exif[0x0112] = 6  # rotated 90 degrees: the camera was held upright
    path = save(image, tmp_path / "phone.jpg", exif=exif.tobytes())

    [prepared] = prepare_file(path)

    assert (prepared.width, prepared.height) == (300, 400)


def test_transparency_is_flattened_onto_white(tmp_path: Path) -> None:
    image = Image.new("RGBA", (50, 50), (255, 0, 0, 0))
    image.putpixel((0, 0), (0, 0, 255, 255))
    [prepared] = prepare_file(save(image, tmp_path / "logo.png"))
    flat = opened(prepared.png)
    assert flat.mode == "RGB"
    assert flat.getpixel((10, 10)) == (255, 255, 255)
    assert flat.getpixel((0, 0)) == (0, 0, 255)


def test_a_gif_gives_its_first_frame(tmp_path: Path) -> None:
    frames = [Image.new("RGB", (40, 40), colour) for colour in ("red", "green", "blue")]
    path = tmp_path / "anim.gif"
    frames[0].save(path, save_all=True, append_images=frames[1:])
    [prepared] = prepare_file(path)
    assert opened(prepared.png).getpixel((5, 5)) == (255, 0, 0)


def test_a_multi_page_tiff_gives_one_image_per_page(tmp_path: Path) -> None:
    pages = [photo((200, 280), (i * 90, 20, 20)) for i in range(3)]
    path = tmp_path / "scan.tif"
    pages[0].save(path, save_all=True, append_images=pages[1:])
    assert page_count(path) == 3

    prepared = prepare_file(path)
    assert [p.label for p in prepared] == [
        "scan.tif, page 1",
        "scan.tif, page 2",
        "scan.tif, page 3",
    ]
    assert prepare_file(path, pages=[2])[0].label == "scan.tif, page 3"


def test_pdf_pages_are_rendered_at_the_encoders_size(tmp_path: Path) -> None:
    path = scanned_pdf(tmp_path / "letter.pdf", pages=12)
    assert page_count(path) == 12

    chosen = prepare_file(path, pages=[0, 11])

    assert [p.label for p in chosen] == ["letter.pdf, page 1", "letter.pdf, page 12"]
    assert all(max(p.width, p.height) in (MAX_SIDE, MAX_SIDE - 1) for p in chosen)
    assert chosen[0].sha256 != chosen[1].sha256
    with pytest.raises(MediaError, match="has 12 pages; there is no page 13"):
        prepare_file(path, pages=[12])


def test_a_pasted_image_is_prepared_from_its_bytes() -> None:
    out = io.BytesIO()
    photo((2000, 2000)).save(out, "PNG")
    prepared = prepare_bytes(out.getvalue(), "Pasted image")
    assert (prepared.label, prepared.width, prepared.height) == ("Pasted image", MAX_SIDE, MAX_SIDE)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.png", b"", r"is empty \(0 bytes\)"),
        ("notes.txt", b"hello", "is not an image or a PDF scan"),
        ("fake.png", b"this is not a picture at all", "is not an image Tramontane can read"),
        ("bomb.bmp", bmp_header(20_000, 20_000), "has too many pixels to open safely"),
        ("lots.bmp", bmp_header(12_000, 9_000), "has too many pixels to open safely"),
        ("strip.bmp", bmp_header(60_000, 2), "60,000 x 2 pixels: too large"),
    ],
)
def test_bad_files_are_refused_with_a_reason(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(MediaError, match=message):
        prepare_file(path)


def test_a_truncated_file_is_refused(tmp_path: Path) -> None:
    whole = save(photo((600, 400)), tmp_path / "whole.png").read_bytes()
    cut = tmp_path / "cut.png"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(MediaError, match=r"cut\.png is damaged or incomplete"):
        prepare_file(cut)


def test_a_missing_file_is_said(tmp_path: Path) -> None:
    with pytest.raises(MediaError, match=r"gone\.png does not exist"):
        prepare_file(tmp_path / "gone.png")


def test_pdfs_without_pages_or_with_a_password_are_refused(tmp_path: Path) -> None:
    with pytest.raises(MediaError, match=r"empty\.pdf has no pages"):
        prepare_file(raw_pdf(tmp_path / "empty.pdf", pages=0))
    with pytest.raises(MediaError, match="protected by a password"):
        prepare_file(raw_pdf(tmp_path / "locked.pdf", encrypted=True))
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"%PDF-1.4 nothing else")
    with pytest.raises(MediaError, match=r"junk\.pdf is not a readable PDF"):
        prepare_file(junk)


def test_pasted_nonsense_is_refused() -> None:
    with pytest.raises(MediaError, match="is empty"):
        prepare_bytes(b"", "Pasted image")
    with pytest.raises(MediaError, match="not an image"):
        prepare_bytes(b"<html>", "Pasted image")
