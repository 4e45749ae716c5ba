"""Write a twin of Mistral Small 3.2: its shapes and quantization mix, random weights.

    python -m app.devtools.twin OUT.gguf --preset mistral-small-3.2-24b --weights q4_k_m

The Tekken vocabulary comes from the installed mistral-common package, or from `--vocab` (a
tekken.json, e.g. copied next to the project where mistral-common is not installed).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from app.devtools import tekken
from app.devtools.gguf_writer import PRESETS, WeightType, write_model


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.devtools.twin", description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--preset", choices=sorted(PRESETS), default="tiny")
    parser.add_argument("--weights", choices=[w.value for w in WeightType], default="f16")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--vocab", type=Path, help="a tekken.json (default: mistral-common's)")
    args = parser.parse_args(argv)

    source = args.vocab or tekken.shipped_tekken_file()
    with tempfile.TemporaryDirectory() as scratch:
        vocab_file = Path(scratch) / "tekken.json"
        vocab_file.write_text(json.dumps(tekken.small_3_2_config(source)), encoding="utf-8")
        started = time.perf_counter()
        path = write_model(
            args.out,
            PRESETS[args.preset],
            vocab_file=vocab_file,
            seed=args.seed,
            weights=WeightType(args.weights),
        )
    size = path.stat().st_size
    print(f"{path}: {size / 1e9:.2f} GB in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
