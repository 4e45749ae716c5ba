from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.devtools.gguf_writer import TINY, write_model
from app.models.errors import format_bytes
from app.models_cli import os_error_sentence, run
from app.paths import models_dir
from app.settings import LibrarySettings, Settings, save_settings


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
    assert run(["models", "plan", "--offline", "--memory", "24G", "--ram", "64G"]) == 0
    out = capsys.readouterr().out
    assert "Q4_K_M runs 128K on the NVIDIA GPU (24.0 GB) only with q4_0 KV cache" in out
    assert "Best setting for Q4_K_M: Q4_K_M with q8_0 KV cache" in out
    grid = out.split("\n\n")[-1].splitlines()
    assert grid[0].split()[:4] == ["Q4_K_M", "f16", "KV", "q8_0"]
    assert grid[-1].startswith("128K") and "gpu" in grid[-1] and "on GPU" in grid[-1]


def test_plan_as_json_for_a_mac(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["models", "plan", "--offline", "--memory", "24GB", "--kind", "metal", "--vision"]
    assert run([*argv, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["budget"]["unified"] and data["with_projector"]
    assert data["selected"]["quant"] == "Q4_K_M" and data["selected"]["placement"] == "gpu"
    q4 = [v for v in data["verdicts"] if v["quant"] == "Q4_K_M"]
    assert {v["kind"] for v in q4} == {"up_to"}


def test_download_offline_fails_with_a_readable_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["models", "pull", "--offline"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: Offline mode is on")


def test_an_unknown_quant_lists_the_offered_ones(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["models", "plan", "--offline", "--quant", "Q9_Z", "--memory", "16", "--kind", "cpu"]
    assert run(argv) == 1
    assert "offers no Q9_Z; it offers Q2_K" in capsys.readouterr().err


def test_plan_json_gives_the_longest_context_per_quant_and_kv_type(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(["models", "plan", "--offline", "--memory", "24G", "--kind", "cuda", "--json"]) == 0
    quants = {q["name"]: q for q in json.loads(capsys.readouterr().out)["quants"]}
    q4 = quants["Q4_K_M"]
    assert q4["size_bytes"] > 14 * 10**9
    assert q4["max_ctx"]["q4_0"] == 131072  # a 4090 runs 128K only with q4_0 KV
    assert q4["max_ctx"]["f16"] < q4["max_ctx"]["q8_0"] < 131072
    assert quants["Q8_0"]["max_ctx"]["f16"] < q4["max_ctx"]["f16"]


def test_a_size_that_is_not_one_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        run(["models", "plan", "--offline", "--memory", "lots"])
    assert "'lots' is not a size such as 24G" in capsys.readouterr().err


def test_list_gives_a_verdict_for_this_machine(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["models", "list", "--offline"]) == 0
    out = capsys.readouterr().out
    assert "Verdicts for this machine:" in out
    q8 = next(line for line in out.splitlines() if line.startswith("Q8_0 "))
    assert any(words in q8 for words in ("fits", "partly on the CPU", "CPU only", "won't fit"))


def test_rm_deletes_a_file_and_says_what_it_freed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = models_dir() / "mine.gguf"
    write_model(model, TINY)
    size = model.stat().st_size
    assert run(["models", "rm", str(model), "--offline"]) == 0
    assert not model.exists()
    assert f"Deleted {model}: {format_bytes(size)} freed." in capsys.readouterr().out


def test_rm_never_deletes_a_file_outside_tramontane_s_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = tmp_path / "mine.gguf"
    write_model(model, TINY)
    assert run(["models", "rm", str(model), "--folder", str(tmp_path), "--offline"]) == 1
    assert model.exists()
    assert "deletes only the files in its own folder" in capsys.readouterr().err


def test_rm_of_a_quant_not_on_disk_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["models", "rm", "Q8_0", "--offline"]) == 1
    assert "Q8_0 is not on disk" in capsys.readouterr().err


def test_the_settings_offline_mode_applies_to_the_command_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    save_settings(Settings(library=LibrarySettings(offline=True)))

    assert run(["models", "pull"]) == 1
    assert capsys.readouterr().err.startswith("error: Offline mode is on")
    assert run(["models", "list"]) == 0
    assert "Offline mode is on" in capsys.readouterr().out


def test_a_blocked_data_folder_is_a_sentence_not_a_traceback(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "data").write_text("a file where the data folder should be")
    result = subprocess.run(
        [sys.executable, "-m", "app", "models", "list", "--offline"],
        env={**os.environ, "TRAMONTANE_HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        f"error: {home / 'data'} cannot be used as a folder: a file is in its way."
    )


@pytest.mark.parametrize(
    ("error", "sentence"),
    [
        (
            PermissionError(13, "Permission denied", "/c"),
            "/c cannot be written: permission denied.",
        ),
        (
            OSError(30, "Read-only file system", "/d"),
            "/d cannot be written: read-only file system.",
        ),
        (OSError(5, "Input/output error"), "a file cannot be used: input/output error."),
    ],
)
def test_disk_failures_read_as_sentences(error: OSError, sentence: str) -> None:
    assert os_error_sentence(error) == sentence


def test_the_shipped_list_does_not_call_quants_unverified(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The shipped list holds few hashes; the hub gives them when a download starts."""
    assert run(["models", "list", "--offline"]) == 0
    assert "unverified" not in capsys.readouterr().out


def test_plan_json_gives_gpu_layers_and_the_metal_limit_per_kv_type(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["models", "plan", "--offline", "--memory", "24G", "--kind", "metal", "--json"]
    assert run([*argv, "--vision"]) == 0
    quants = {q["name"]: q for q in json.loads(capsys.readouterr().out)["quants"]}
    q4, q5 = quants["Q4_K_M"], quants["Q5_K_M"]
    # with images, at 8K: Q4_K_M fits wholly with q4_0 KV only; Q5_K_M fits only partly
    assert q4["gpu_layers"]["q4_0"] is None and 0 < q4["gpu_layers"]["f16"] < 41
    assert all(0 < q5["gpu_layers"][kv] < 41 for kv in ("f16", "q8_0", "q4_0"))
    assert quants["Q8_0"]["gpu_layers"]["f16"] is None  # not at all
    assert all(q4["max_ctx_vision"][kv] < q4["max_ctx"][kv] for kv in q4["max_ctx"])
    limits = q4["wired_limit_mb"]
    assert limits["q4_0"] < limits["q8_0"] < limits["f16"]
    assert limits["q4_0"] * 2**20 < 24 * 2**30 < limits["q8_0"] * 2**20


def test_plan_json_for_cuda_has_no_metal_limit(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["models", "plan", "--offline", "--memory", "24G", "--json"]) == 0
    q4 = next(q for q in json.loads(capsys.readouterr().out)["quants"] if q["name"] == "Q4_K_M")
    assert "wired_limit_mb" not in q4 and "max_ctx_vision" not in q4
    assert q4["gpu_layers"] == {"f16": None, "q8_0": None, "q4_0": None}  # fits wholly at 8K


def test_plan_on_a_mac_shows_the_way_to_128k(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["models", "plan", "--offline", "--memory", "24G", "--kind", "metal"]) == 0
    out = capsys.readouterr().out
    assert "The way to 128K on this Mac:" in out
    assert "sudo sysctl iogpu.wired_limit_mb=" in out and "until the Mac restarts" in out
    assert "does not count a vision projector" in out
    raised = ["--wired-limit-mb", "21000"]
    assert run(["models", "plan", "--offline", "--memory", "24G", "--kind", "metal", *raised]) == 0
    assert "The way to 128K" not in capsys.readouterr().out


def test_plan_with_vision_says_what_context_remains(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["models", "plan", "--offline", "--memory", "24G", "--free", "18G", "--vision"]
    assert run(argv) == 0
    out = capsys.readouterr().out
    assert "of which other programs hold 6.0 GB" in out
    assert "This counts the vision projector (1.3 GB)" in out and "without images" in out
