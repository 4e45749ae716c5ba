"""How many drafted tokens to check in the next decoding step, from what checking has paid lately.

Two things are measured as the answer goes, both forgetting the past at a steady rate:

- the acceptance rate `a`: the chance that the model agrees with the next drafted token, given
  it agreed with the ones before (a step that checks k tokens and keeps j adds j agreements and,
  when j < k, one disagreement);
- the cost of a step: a one-token step takes `t1` seconds, a step that also checks k drafted
  tokens takes about `t1 * (1 + c*k)`; on a GPU, where a step is bound by reading the weights,
  c is small; on a CPU it can approach 1.

A step that checks k tokens yields (1 - a^(k+1)) / (1 - a) tokens on average, so its speed-up
over one-token steps is that divided by (1 + c*k). The draft length is the k (up to `max_draft`)
that maximizes it, and no draft at all when even the best k would not beat one-token steps by
`min_gain`: speculation then switches itself off, and tries a short draft every `probe_every`
steps to notice when the text turns repetitive again. Every `recalibrate_every` steps one step
goes without a draft, so `t1` follows the context as it grows.
"""

from __future__ import annotations

from dataclasses import dataclass

KEEP = 0.8  # the weight of the past at each new observation: about the last five steps count


@dataclass
class DraftLength:
    max_draft: int = 16
    min_gain: float = 1.05
    probe_every: int = 16
    probe_draft: int = 2
    recalibrate_every: int = 64
    agreed: float = 1.0  # decayed counts, with a prior of one agreement and one disagreement
    disagreed: float = 1.0
    step_s: float | None = None  # t1
    cost_per_token: float = 0.1  # c, until measured
    _since_probe: int = 0
    _since_plain: int = 0

    @property
    def acceptance(self) -> float:
        return self.agreed / (self.agreed + self.disagreed)

    def expected_tokens(self, k: int) -> float:
        """What a step that checks `k` drafted tokens yields on average."""
        a = min(self.acceptance, 0.999)
        return (1.0 - a ** (k + 1)) / (1.0 - a)

    def expected_speedup(self, k: int) -> float:
        return self.expected_tokens(k) / (1.0 + self.cost_per_token * k)

    def best(self) -> tuple[int, float]:
        """The draft length with the largest expected speed-up, and that speed-up."""
        gains = [(self.expected_speedup(k), k) for k in range(1, self.max_draft + 1)]
        gain, k = max(gains)
        return k, gain

    def next_length(self) -> int:
        """How many drafted tokens the next step should check (0: a one-token step)."""
        if self.step_s is None or self._since_plain >= self.recalibrate_every:
            return 0  # time a one-token step first
        k, gain = self.best()
        if gain >= self.min_gain:
            return k
        if self._since_probe >= self.probe_every:
            return self.probe_draft
        return 0

    def record_plain(self, seconds: float) -> None:
        """A one-token step took `seconds` (from the end of the step before to its token)."""
        self.step_s = seconds if self.step_s is None else KEEP * self.step_s + (1 - KEEP) * seconds
        self._since_plain = 0
        self._since_probe += 1

    def record_checked(self, drafted: int, kept: int, seconds: float) -> None:
        """A step checked `drafted` tokens, of which the model agreed with the first `kept`."""
        self.agreed = KEEP * self.agreed + kept
        self.disagreed = KEEP * self.disagreed + (1 if kept < drafted else 0)
        if self.step_s is not None and drafted > 0:
            cost = max(0.0, (seconds / self.step_s - 1.0) / drafted)
            self.cost_per_token = KEEP * self.cost_per_token + (1 - KEEP) * cost
        self._since_plain += 1
        self._since_probe = 0
