from __future__ import annotations

import pytest

from app.core.draft_length import DraftLength

STEP = 0.01  # seconds of a one-token step


def calibrated() -> DraftLength:
    control = DraftLength()
    control.record_plain(STEP)
    return control


def test_no_draft_before_a_one_token_step_was_timed() -> None:
    control = DraftLength()
    assert control.next_length() == 0
    control.record_plain(STEP)
    assert control.next_length() > 0


def test_expected_tokens_follow_the_geometric_acceptance() -> None:
    control = DraftLength(agreed=3.0, disagreed=1.0)  # acceptance 0.75
    assert control.expected_tokens(0) == pytest.approx(1.0)
    assert control.expected_tokens(2) == pytest.approx(1 + 0.75 + 0.75**2)


def test_drafts_grow_while_the_model_agrees_and_cheap_checks_pay() -> None:
    control = calibrated()
    for _ in range(10):
        k = control.next_length()
        control.record_checked(k, k, STEP * (1 + 0.02 * k))  # every draft kept, checks cheap
    assert control.acceptance > 0.9
    assert control.next_length() == control.max_draft


def test_drafting_switches_itself_off_when_it_does_not_pay_and_probes_now_and_then() -> None:
    control = calibrated()
    for _ in range(10):
        k = control.next_length()
        if k:
            control.record_checked(k, 0, STEP * (1 + 0.5 * k))  # nothing kept, checks costly
        else:
            control.record_plain(STEP)
    assert control.next_length() == 0
    lengths = []
    for _ in range(2 * control.probe_every + 2):
        k = control.next_length()
        lengths.append(k)
        if k:
            control.record_checked(k, 0, STEP * (1 + 0.5 * k))
        else:
            control.record_plain(STEP)
    assert lengths.count(control.probe_draft) == 2  # one probe every `probe_every` steps
    assert set(lengths) == {0, control.probe_draft}


def test_costly_checks_shorten_the_draft() -> None:
    cheap, costly = calibrated(), calibrated()
    for control, cost in ((cheap, 0.02), (costly, 0.4)):
        for _ in range(20):
            k = max(control.next_length(), 1)
            control.record_checked(k, min(k, 3), STEP * (1 + cost * k))  # agrees on 3 at most
    assert 0 < costly.next_length() < cheap.next_length()


def test_a_one_token_step_is_timed_again_now_and_then() -> None:
    control = calibrated()
    plain = 0
    for _ in range(3 * (control.recalibrate_every + 1)):
        k = control.next_length()
        if k:
            control.record_checked(k, k, STEP)
        else:
            plain += 1
            control.record_plain(STEP)
    assert plain == 3
