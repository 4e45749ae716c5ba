"""The planner's memory model against figures measured on a GPU, and its verdicts for the
machines the app is made for."""

from __future__ import annotations

import pytest

from app.core.kv_cache import KvCacheType
from app.models.catalog import DEFAULT_REPO, offline_catalog
from app.models.fit_planner import (
    MISTRAL_SMALL_3_2,
    MemoryBudget,
    Placement,
    QuantSize,
    VerdictKind,
    apple_budget,
    assess,
    best_quant,
    cpu_budget,
    estimate_memory,
    judge,
    kv_cache_bytes,
    max_context,
    nvidia_budget,
    place,
    plan,
    propose,
    recommend,
)
from app.models.fit_report import proposal_sentence, quant_sentence, report_lines
from app.models.hardware import GIB, GpuInfo, GpuKind, MachineInfo

Q4_K_M = QuantSize("Q4_K_M", 14_333_922_848)
F16, Q8, Q4 = KvCacheType.F16, KvCacheType.Q8_0, KvCacheType.Q4_0

# Measured with flash attention on an NVIDIA GPU for the Q4_K_M file, weights and CUDA context
# included, in GB as nvidia-smi reports them (2**30 bytes).
MEASURED = [
    (F16, 32768, 19.3), (F16, 131072, 34.8),
    (Q8, 32768, 16.9), (Q8, 131072, 25.5),
    (Q4, 32768, 15.6), (Q4, 131072, 20.4),
]  # fmt: skip


def rtx_4090() -> MemoryBudget:
    return nvidia_budget(24 * GIB, 64 * GIB, "NVIDIA GeForce RTX 4090")


def all_quants() -> list[QuantSize]:
    catalog = offline_catalog(DEFAULT_REPO)
    assert catalog is not None
    return [QuantSize(q.label, q.size) for q in catalog.quants if q.size is not None]


def test_kv_cache_formula() -> None:
    # 2 * 40 layers * 8 KV heads * 128 dims = 81,920 elements per token
    assert kv_cache_bytes(32768, F16) == 81_920 * 32768 * 2
    assert kv_cache_bytes(32768, Q8) == 81_920 * 32768 * 34 // 32
    assert kv_cache_bytes(32768, Q4) == 81_920 * 32768 * 18 // 32
    assert kv_cache_bytes(131072, F16) == 20 * GIB


@pytest.mark.parametrize(("kv_type", "n_ctx", "measured_gb"), MEASURED)
def test_predicted_memory_matches_the_measured_figures(
    kv_type: KvCacheType, n_ctx: int, measured_gb: float
) -> None:
    predicted = estimate_memory(Q4_K_M.size, n_ctx, kv_type).total / GIB
    assert predicted == pytest.approx(measured_gb, rel=0.05)
    assert predicted == pytest.approx(measured_gb, rel=0.005)  # what the fit actually achieves


def test_the_projector_adds_its_file_and_an_image_compute_buffer() -> None:
    text = estimate_memory(Q4_K_M.size, 32768, F16)
    vision = estimate_memory(Q4_K_M.size, 32768, F16, projector_bytes=878_053_568)
    assert vision.total - text.total == 878_053_568 + 500_000_000


def test_a_24_gb_rtx_4090_runs_128k_only_with_q4_0_kv() -> None:
    budget = rtx_4090()
    verdicts = {kv: judge("Q4_K_M", Q4_K_M.size, kv, budget) for kv in KvCacheType}
    assert verdicts[Q4].kind is VerdictKind.FULL_CONTEXT
    assert verdicts[Q8].kind is VerdictKind.UP_TO and 96_000 < verdicts[Q8].max_context < 131072
    assert verdicts[F16].kind is VerdictKind.UP_TO and 48_000 < verdicts[F16].max_context < 65536
    sentence = quant_sentence("Q4_K_M", list(verdicts.values()), budget)
    assert "Q4_K_M runs 128K on the NVIDIA GeForce RTX 4090 (24.0 GB) only with q4_0 KV" in sentence
    assert "with f16 it fits up to" in sentence and "with q8_0 it fits up to" in sentence


def test_the_4090_proposal_keeps_q8_0_kv_and_the_longest_context() -> None:
    proposal = propose(Q4_K_M, rtx_4090())
    assert proposal is not None and proposal.kv_type is Q8
    assert proposal.fit.placement is Placement.GPU and proposal.n_ctx % 4096 == 0
    assert proposal.n_ctx == max_context(Q4_K_M.size, Q8, rtx_4090()) // 4096 * 4096
    assert proposal.fit.estimate.total <= rtx_4090().gpu_bytes


def test_q8_0_on_a_4090_runs_partly_on_the_cpu() -> None:
    q8_0 = QuantSize("Q8_0", 25_054_793_248)
    verdict = judge("Q8_0", q8_0.size, Q8, rtx_4090())
    assert verdict.kind is VerdictKind.PARTIAL
    assert 30 <= verdict.gpu_layers < MISTRAL_SMALL_3_2.offload_units
    assert "runs partly on the CPU" in quant_sentence("Q8_0", [verdict], rtx_4090())


def test_a_24_gb_mac_gives_metal_two_thirds_and_no_128k_for_q4_k_m() -> None:
    budget = apple_budget(24 * GIB)
    assert budget.unified and budget.gpu_bytes == 16 * GIB
    verdicts = [judge("Q4_K_M", Q4_K_M.size, kv, budget) for kv in KvCacheType]
    assert all(v.kind is VerdictKind.UP_TO for v in verdicts)
    f16, q8, q4 = (v.max_context for v in verdicts)
    assert 8192 < f16 < q8 < q4 < 65536
    sentence = quant_sentence("Q4_K_M", verdicts, budget)
    assert sentence.startswith("Q4_K_M does not fit 128K on the Apple GPU (Metal may use 16.0 GB)")
    proposal = propose(Q4_K_M, budget)
    assert proposal is not None and proposal.fit.placement is Placement.GPU
    assert proposal.kv_type is Q8 and 16384 <= proposal.n_ctx <= q8


def test_a_24_gb_mac_cannot_hold_q8_0_at_all() -> None:
    verdict = judge("Q8_0", 25_054_793_248, Q4, apple_budget(24 * GIB))
    assert verdict.kind is VerdictKind.WONT_FIT


def test_larger_macs_give_metal_three_quarters() -> None:
    assert apple_budget(64 * GIB).gpu_bytes == 48 * GIB
    assert apple_budget(36 * GIB).gpu_bytes == 24 * GIB
    verdict = judge("Q8_0", 25_054_793_248, F16, apple_budget(64 * GIB))
    assert verdict.kind is VerdictKind.FULL_CONTEXT  # 44.8 GB of the 48 GB Metal may use


def test_without_a_gpu_the_model_runs_on_the_cpu_from_ram() -> None:
    budget = cpu_budget(32 * GIB)
    fit = place(estimate_memory(Q4_K_M.size, 32768, Q8), budget)
    assert fit.placement is Placement.CPU and fit.gpu_layers == 0
    assert judge("Q4_K_M", Q4_K_M.size, Q8, budget).kind is VerdictKind.FULL_CONTEXT
    assert place(estimate_memory(47_153_500_000, 8192, Q8), budget).placement is Placement.NONE


def test_two_gpus_pool_their_memory() -> None:
    gpus = tuple(GpuInfo(GpuKind.NVIDIA, "RTX 3090", 24 * GIB, None, "NVML") for _ in range(2))
    budget = MemoryBudget.for_machine(MachineInfo("Linux", "", "cpu", 16, 128 * GIB, gpus))
    assert budget.gpu_bytes > 46 * GIB
    assert judge("Q8_0", 25_054_793_248, F16, budget).kind is VerdictKind.FULL_CONTEXT


def test_the_plan_covers_every_quant_context_and_kv_type() -> None:
    quants = all_quants()
    fit_plan = plan(quants, rtx_4090(), selected="Q4_K_M")
    assert len(fit_plan.cells) == len(quants) * 5 * 3
    assert len(fit_plan.verdicts) == len(quants) * 3
    assert fit_plan.selected is not None and fit_plan.selected.quant == "Q4_K_M"
    best = fit_plan.best
    assert best is not None and best.fit.placement is Placement.GPU and best.n_ctx >= 32768
    bigger = [q for q in quants if q.size > next(x.size for x in quants if x.label == best.quant)]
    for quant in bigger:  # nothing larger runs all on the GPU with 32K
        proposal = propose(quant, rtx_4090())
        assert (
            proposal is None
            or proposal.fit.placement is not Placement.GPU
            or proposal.n_ctx < 32768
        )
    lines = report_lines(fit_plan)
    assert any("Q4_K_M runs 128K" in line and "only with q4_0 KV" in line for line in lines)
    assert lines[-2].startswith("Best setting for Q4_K_M: Q4_K_M with q8_0 KV cache")


def test_a_machine_too_small_for_anything_gets_no_proposal() -> None:
    tiny = nvidia_budget(2 * GIB, 6 * GIB)
    assert propose(Q4_K_M, tiny) is None
    assert judge("Q4_K_M", Q4_K_M.size, Q4, tiny).kind is VerdictKind.WONT_FIT


def test_a_gpu_too_small_for_any_layer_leaves_the_model_on_the_cpu() -> None:
    budget = nvidia_budget(1 * GIB, 64 * GIB, "small GPU")
    verdict = judge("Q4_K_M", Q4_K_M.size, Q8, budget)
    assert verdict.kind is VerdictKind.PARTIAL and verdict.gpu_layers == 0
    assert "runs on the CPU only" in quant_sentence("Q4_K_M", [verdict], budget)


@pytest.mark.parametrize(
    ("budget", "n_ctx", "kv_type", "words"),
    [
        (nvidia_budget(24 * GIB, 32 * GIB, "RTX 4090"), 32768, KvCacheType.F16, "all on the"),
        (nvidia_budget(12 * GIB, 64 * GIB, "RTX 3060"), 32768, KvCacheType.Q8_0, "layers on the"),
        (cpu_budget(64 * GIB), 16384, KvCacheType.F16, "on the CPU (slow)"),
        (nvidia_budget(24 * GIB, 16 * GIB, "RTX 4090"), 131072, KvCacheType.F16, "won't fit"),
    ],
)
def test_a_chosen_setting_is_judged_in_plain_words(
    budget: MemoryBudget, n_ctx: int, kv_type: KvCacheType, words: str
) -> None:
    proposal = assess(Q4_K_M, n_ctx, kv_type, budget)
    assert (proposal.n_ctx, proposal.kv_type) == (n_ctx, kv_type)
    assert proposal.fit.estimate == estimate_memory(Q4_K_M.size, n_ctx, kv_type)
    sentence = proposal_sentence(proposal, budget)
    assert sentence.startswith(f"Q4_K_M with {kv_type.value} KV cache")
    assert words in sentence


@pytest.mark.parametrize(
    ("budget", "quant", "placement"),
    [
        (rtx_4090(), "Q4_K_M", Placement.GPU),  # the default leaves room for the desktop
        (apple_budget(32 * GIB), "Q4_K_M", Placement.GPU),
        (cpu_budget(32 * GIB), "Q4_K_M", Placement.CPU),
        (apple_budget(24 * GIB), None, Placement.GPU),  # a 16 GB Metal working set
        (nvidia_budget(16 * GIB, 32 * GIB, "RTX 4080"), None, Placement.GPU),
    ],
)
def test_the_first_run_choice_is_the_default_quant_where_it_runs_whole(
    budget: MemoryBudget, quant: str | None, placement: Placement
) -> None:
    quants = all_quants()
    chosen = recommend(quants, budget, "Q4_K_M")
    assert chosen is not None and chosen.fit.placement is placement
    if quant is not None:
        assert chosen.quant == quant and chosen.n_ctx >= 32768
    else:  # 16 GB cannot hold Q4_K_M with 32K: the planner's best quant instead
        assert chosen == best_quant(quants, budget)
        assert chosen.quant != "Q4_K_M"
