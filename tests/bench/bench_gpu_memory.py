"""GPU memory of a loaded model, measured, beside the fit planner's prediction.

Run as `python -m tests.bench.bench_gpu_memory MODEL.gguf [CONTEXT ...]` on a machine with an
NVIDIA GPU and `nvidia-smi`. For each KV cache type and context, the engine process loads the
model with every layer on the GPU, answers one short question (so every buffer is in use), and
nvidia-smi reports that process's memory, CUDA context included; the planner predicts the same
figure from the file size and the model's shapes alone.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from app.core.kv_cache import KvCacheType
from app.core.messages import ChatMessage, Role
from app.core.sampling import SamplingParams
from app.engine.blocking import BlockingEngine
from app.engine.protocol import Generate, LoadModel
from app.models.fit_planner import estimate_memory
from app.models.hardware import GIB

CONTEXTS = (32768, 131072)


def process_memory_bytes(pid: int) -> int:
    """What nvidia-smi says process `pid` holds on the GPU."""
    listing = subprocess.run(
        ["nvidia-smi", "--query-compute-apps=pid,used_memory", "--format=csv,noheader,nounits"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for line in listing.splitlines():
        found, mib = (field.strip() for field in line.split(","))
        if int(found) == pid:
            return int(mib) * 1024 * 1024
    raise RuntimeError(f"nvidia-smi does not list process {pid}")


def measure(model: Path, n_ctx: int, kv: KvCacheType) -> int:
    with BlockingEngine() as engine:
        engine.load(LoadModel(model, n_ctx=n_ctx, kv_cache_type=kv))
        question = (ChatMessage(Role.USER, "Hello?"),)
        engine.generate(Generate(1, question, SamplingParams(max_tokens=4, seed=1)))
        pid = engine.client.pid
        if pid is None:
            raise RuntimeError("the engine process is gone")
        return process_memory_bytes(pid)


def main(argv: list[str]) -> int:
    model = Path(argv[0]).resolve()
    contexts = [int(value) for value in argv[1:]] or list(CONTEXTS)
    size = model.stat().st_size
    print(f"{model.name}: {size:,} bytes; GB = 2**30 bytes")
    print(f"{'KV':6} {'context':>8} {'measured':>9} {'predicted':>10} {'ratio':>7}")
    for kv in KvCacheType:
        for n_ctx in contexts:
            measured = measure(model, n_ctx, kv)
            predicted = estimate_memory(size, n_ctx, kv).total
            print(
                f"{kv.value:6} {n_ctx:>8} {measured / GIB:>8.2f}G {predicted / GIB:>9.2f}G "
                f"{predicted / measured:>7.3f}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
