"""`tramontane chat` and `tramontane bench` as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

BENCH_KEYS = {
    "app_tg_tps",
    "raw_tg_tps",
    "tg_ratio",
    "raw_sampled_tg_tps",
    "tg_ratio_same_sampling",
    "app_pp_tps",
    "raw_pp_tps",
    "cold_ttft_s",
    "followup_ttft_s",
    "followup_depth",
    "ipc_us_per_token",
}


def tramontane(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args], capture_output=True, text=True, timeout=300
    )


def test_chat_streams_an_answer_to_stdout(tiny_model_path: Path) -> None:
    result = tramontane(
        "chat", "--model", str(tiny_model_path), "--ctx", "2048", "--max-tokens", "8",
        "--seed", "3", "Hello!",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()
    assert "on CPU" in result.stderr and "8 tokens" in result.stderr


def test_chat_reports_a_bad_model_file(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.gguf"
    bogus.write_text("hello")
    result = tramontane("chat", "--model", str(bogus), "Hi")
    assert result.returncode == 1
    assert "not a usable GGUF model" in result.stderr


def test_bench_prints_the_figures_as_json(tiny_model_path: Path) -> None:
    result = tramontane(
        "bench", "--model", str(tiny_model_path), "--json", "--prompt-tokens", "64",
        "--gen-tokens", "16", "--depth", "128", "--repeats", "1",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    figures = json.loads(result.stdout[result.stdout.index("{") :])
    assert figures.keys() >= BENCH_KEYS
    assert figures["followup_depth"] == 128
    assert figures["tg_ratio"] == pytest.approx(figures["app_tg_tps"] / figures["raw_tg_tps"])
    assert figures["tg_ratio_same_sampling"] == pytest.approx(
        figures["app_tg_tps"] / figures["raw_sampled_tg_tps"]
    )
    assert all(figures[key] > 0 for key in BENCH_KEYS)


def test_without_a_subcommand_the_window_starts() -> None:
    from app.cli import run

    assert run([]) is None
    assert run(["--some-window-option"]) is None


def test_chat_with_a_model_that_has_no_template(tiny_model_without_template: Path) -> None:
    common = ("chat", "--model", str(tiny_model_without_template), "--ctx", "2048")
    refused = tramontane(*common, "Hi")
    assert refused.returncode == 1
    assert "no chat template" in refused.stderr and "--builtin-template" in refused.stderr
    accepted = tramontane(*common, "--max-tokens", "4", "--builtin-template", "Hi")
    assert accepted.returncode == 0, accepted.stderr
    assert "4 tokens" in accepted.stderr
