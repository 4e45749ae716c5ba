"""Command-line subcommands: `tramontane chat` streams an answer, `tramontane bench` measures."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.core.kv_cache import KvCacheType
from app.engine.protocol import ErrorKind

SUBCOMMANDS = ("chat", "bench", "models")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tramontane", description="Offline chat with Mistral Small 3.2."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    chat = commands.add_parser("chat", help="answer one prompt, streamed to stdout")
    chat.add_argument("prompt")
    chat.add_argument("--model", type=Path, required=True, help="a GGUF model file")
    chat.add_argument(
        "--system",
        help="system prompt; {name} (the model), {today}, {yesterday} are filled in "
        "(default: the model's own)",
    )
    chat.add_argument("--ctx", type=int, default=8192, help="context size in tokens")
    chat.add_argument("--max-tokens", type=int, default=1024)
    chat.add_argument("--temperature", type=float, default=0.15)
    chat.add_argument("--seed", type=int)
    chat.add_argument("--gpu-layers", type=int, default=-1)
    chat.add_argument("--kv", choices=[t.value for t in KvCacheType], default="f16")
    chat.add_argument(
        "--builtin-template",
        action="store_true",
        help="use the built-in Mistral Small 3.2 chat template instead of the file's own",
    )

    bench = commands.add_parser("bench", help="measure the engine against raw llama.cpp")
    bench.add_argument("--model", type=Path, required=True)
    bench.add_argument("--json", action="store_true", help="print the figures as JSON")
    bench.add_argument("--prompt-tokens", type=int, default=512)
    bench.add_argument("--gen-tokens", type=int, default=128)
    bench.add_argument(
        "--depth", type=int, default=2048, help="history depth of the follow-up turn"
    )
    bench.add_argument("--gpu-layers", type=int, default=-1)
    bench.add_argument("--kv", choices=[t.value for t in KvCacheType], default="f16")
    bench.add_argument("--repeats", type=int, default=3, help="runs per figure; the median is kept")
    bench.add_argument(
        "--no-speculation",
        action="store_true",
        help="one token per step: no drafting from the conversation",
    )
    bench.add_argument(
        "--snapshot-dir",
        type=Path,
        help="where KV snapshots are written (default: beside the model)",
    )
    bench.add_argument(
        "--snapshots-only",
        action="store_true",
        help="measure only reopening a conversation of --depth tokens (JSON)",
    )
    return parser


def run(argv: list[str]) -> int | None:
    """Run a subcommand and return its exit code, or None when `argv` names none (start the GUI)."""
    if not argv or argv[0] not in SUBCOMMANDS:
        return None
    if argv[0] == "models":
        from app.models_cli import run as run_models

        return run_models(argv)
    args = _parser().parse_args(argv)
    if args.command == "chat":
        return _chat(args)
    from app.engine.bench import run_bench

    return run_bench(args)


def _chat(args: argparse.Namespace) -> int:
    from datetime import date

    from app.core.messages import ChatMessage, Role
    from app.core.sampling import SamplingParams
    from app.core.system_prompt import fill_system_prompt
    from app.engine.blocking import BlockingEngine, EngineFailed
    from app.engine.protocol import Generate, LoadModel

    def write(text: str) -> None:
        sys.stdout.write(text)
        sys.stdout.flush()

    try:
        with BlockingEngine() as engine:
            loaded = engine.load(
                LoadModel(
                    args.model.resolve(),
                    n_ctx=args.ctx,
                    n_gpu_layers=args.gpu_layers,
                    kv_cache_type=KvCacheType(args.kv),
                    use_builtin_template=args.builtin_template,
                )
            )
            print(f"[{loaded.model_name} on {loaded.backend.value}]", file=sys.stderr)
            system = None
            if args.system is not None:
                system = fill_system_prompt(
                    args.system, model_name=loaded.model_name, user_name="", today=date.today()
                )
            sampling = SamplingParams(
                temperature=args.temperature, max_tokens=args.max_tokens, seed=args.seed
            )
            answer = engine.generate(
                Generate(1, (ChatMessage(Role.USER, args.prompt),), sampling, system_prompt=system),
                on_text=write,
            )
    except EngineFailed as exc:
        detail = f"\n{exc.error.detail}" if exc.error.detail else ""
        print(f"\nerror: {exc}{detail}", file=sys.stderr)
        if exc.error.kind is ErrorKind.TEMPLATE and not args.builtin_template:
            print("(--builtin-template uses the built-in template)", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\n[interrupted]", file=sys.stderr)
        return 130
    usage = answer.finished.usage
    sys.stdout.write("\n")
    print(
        f"[{answer.finished.reason.value}: {usage.completion_tokens} tokens, "
        f"{usage.generation_tokens_per_s:.1f} tokens/s, first token after "
        f"{usage.time_to_first_token_s:.2f} s]",
        file=sys.stderr,
    )
    return 0
