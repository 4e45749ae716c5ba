from __future__ import annotations

import json

import pytest

from app.models.cli import run


def test_other_commands_are_not_ours() -> None:
    assert run([]) is None
    assert run(["chat", "hello"]) is None


def test_list_offline_shows_the_shipped_quants(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["models", "list", "--offline"]) == 0
    out = capsys.readouterr().out
    assert "the list shipped with Tramontane" in out
    q4 = next(line for line in out.splitlines() if line.startswith("Q4_K_M "))
    assert "14.3 GB" in q4 and "4.86 bits/weight" in q4 and "default" in q4
    assert any(line.startswith("mmproj-F16") and "default" in line for line in out.splitlines())


def test_plan_for_a_24_gb_nvidia_gpu(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["models", "plan", "--offline", "--vram", "24", "--ram", "64"]) == 0
    out = capsys.readouterr().out
    assert "Q4_K_M runs 128K on the NVIDIA GPU (24.0 GB) only with q4_0 KV cache" in out
    assert "Best setting for Q4_K_M: Q4_K_M with q8_0 KV cache" in out
    grid = out.split("\n\n")[-1].splitlines()
    assert grid[0].split()[:4] == ["Q4_K_M", "f16", "KV", "q8_0"]
    assert grid[-1].startswith("128K") and "gpu" in grid[-1] and "on GPU" in grid[-1]


def test_plan_as_json_for_a_mac(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["models", "plan", "--offline", "--apple", "24", "--vision", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["budget"]["unified"] and data["with_projector"]
    assert data["selected"]["quant"] == "Q4_K_M" and data["selected"]["placement"] == "gpu"
    q4 = [v for v in data["verdicts"] if v["quant"] == "Q4_K_M"]
    assert {v["kind"] for v in q4} == {"up_to"}


def test_download_offline_fails_with_a_readable_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["models", "download", "--offline"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: Offline mode is on")


def test_an_unknown_quant_lists_the_offered_ones(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["models", "plan", "--offline", "--quant", "Q9_Z", "--cpu-only"]) == 1
    assert "offers no Q9_Z; it offers Q2_K" in capsys.readouterr().err
