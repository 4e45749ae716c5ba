"""How many threads llama.cpp gets for generating: one per physical core."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path

from app.core.sysctl import sysctl_int


def compute_threads() -> int:
    """Threads for llama.cpp's token-by-token work: one per physical core this process may use
    (on Apple silicon, per performance core). A second thread on a core only competes with the
    first for its vector units; llama-cpp-python's own guess, half the logical CPUs, leaves
    half of a machine without simultaneous multithreading idle."""
    if sys.platform == "darwin":
        cores = sysctl_int("hw.perflevel0.physicalcpu") or sysctl_int("hw.physicalcpu")
        return max(cores, 1) if cores else max((os.cpu_count() or 2) // 2, 1)
    if hasattr(os, "sched_getaffinity"):
        cores = physical_cores(os.sched_getaffinity(0), Path("/sys/devices/system/cpu"))
        if cores:
            return cores
    return max((os.cpu_count() or 2) // 2, 1)


def physical_cores(cpus: Iterable[int], sysfs: Path) -> int:
    """How many distinct cores the logical `cpus` sit on, as Linux's sysfs describes them (0
    when it does not)."""
    cores = set()
    for cpu in cpus:
        topology = sysfs / f"cpu{cpu}" / "topology"
        try:
            package = (topology / "physical_package_id").read_text(encoding="ascii").strip()
            core = (topology / "core_id").read_text(encoding="ascii").strip()
        except OSError:
            return 0
        cores.add((package, core))
    return len(cores)
