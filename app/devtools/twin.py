"""Write a twin of Mistral Small 3.2: its shapes and quantization mix, random weights.

    python -m app.devtools.twin OUT.gguf --preset mistral-small-3.2-24b --weights q4_k_m

The twin is timed exactly like the real file (same tensor shapes, same Q4_K/Q6_K mix, same
vocabulary and template), which is how performance is measured without downloading 14 GB.

The Tekken vocabulary is read from mistral-common's own `tekken_240911.json` when mistral-common is
installed. Where it is not (a benchmark machine, say), pass that file with `--vocab`; find it with
`python -c "from app.devtools.tekken import shipped_tekken_file; print(shipped_tekken_file())"`
on a machine that has mistral-common. The file is Mistral's data, so it is passed along, never
kept in this repository.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from app.devtools.gguf_writer import PRESETS, WeightType, planned_size, write_model
from app.devtools.tekken import shipped_tekken_file


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m app.devtools.twin",
        description="Write a random-weight GGUF twin of Mistral Small 3.2.",
    )
    parser.add_argument("out", type=Path, help="the .gguf file to write")
    parser.add_argument("--preset", choices=sorted(PRESETS), default="tiny")
    parser.add_argument("--weights", choices=[w.value for w in WeightType], default="f16")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--vocab", type=Path, help="a tekken.json (default: mistral-common's)")
    args = parser.parse_args(argv)

    shape, weights = PRESETS[args.preset], WeightType(args.weights)
    try:
        vocab = args.vocab or shipped_tekken_file()
        print(f"writing {planned_size(shape, weights) / 1e9:.2f} GB of tensors to {args.out}")
        started = time.perf_counter()
        write_model(args.out, shape, vocab_file=vocab, seed=args.seed, weights=weights)
    except (OSError, ValueError) as exc:
        parser.exit(1, f"twin: {exc}\n")
    elapsed = time.perf_counter() - started
    print(f"{args.out}: {args.out.stat().st_size:,} bytes in {elapsed:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
