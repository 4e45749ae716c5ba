"""A model file's chat template is foreign code: it is stopped when it runs too long or builds
too much, with a message that names it; ordinary templates render as before."""

from __future__ import annotations

import time

import pytest

from app.core.messages import ChatMessage, Role
from app.engine import template_limits
from app.engine.template import ChatTemplate, TemplateError

HELLO = [ChatMessage(Role.USER, "Hello")]


@pytest.fixture(autouse=True)
def short_time_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(template_limits, "TIME_LIMIT_S", 0.5)


def render(source: str) -> str:
    return ChatTemplate(source, "<s>", "</s>").render(HELLO)


@pytest.mark.parametrize(
    "source",
    [
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        "{% set s = 'ab' * 50000 %}{% for c in s %}{% for d in s %}{% endfor %}{% endfor %}",
        "{% for m in messages %}{% for i in range(100000) %}{% for j in range(100000) %}"
        "{% set x = i %}{% endfor %}{% endfor %}{% endfor %}",
    ],
)
def test_a_template_that_runs_too_long_is_stopped(source: str) -> None:
    started = time.perf_counter()
    with pytest.raises(TemplateError, match=r"was stopped: it ran for more than 0\.5 s"):
        render(source)
    assert time.perf_counter() - started < 1.5


@pytest.mark.parametrize(
    "source",
    [
        "{{ 'a' * 10**10 }}",
        "{{ 'a' * 10000000000 }}",
        "{{ ([1] * 100000000) | length }}",
        "{% set ns = namespace(s='a') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}"
        "{% endfor %}{{ ns.s }}",
        "{% set ns = namespace(s='a') %}{% for i in range(64) %}{% set ns.s = ns.s + ns.s %}"
        "{% endfor %}{{ ns.s }}",
        "{{ 'a' | center(10000000000) }}",
        "{{ 'a'.ljust(10000000000) }}",
        "{{ '%999999999s' % 'a' }}",
        "{{ '{:>999999999}'.format('a') }}",
        "{{ 2 ** 100000000 }}",
        "{% for i in range(100000) %}{{ 'x' * 1000000 }}{% endfor %}",
    ],
)
def test_a_template_that_builds_too_much_is_stopped_before_the_memory_goes(source: str) -> None:
    started = time.perf_counter()
    with pytest.raises(TemplateError, match="was stopped: it tried to"):
        render(source)
    assert time.perf_counter() - started < 2.0


def test_ordinary_templates_render_as_before() -> None:
    source = (
        "{{ bos_token }}{% for m in messages %}{% for i in range(3) %}{{ i }}{% endfor %}"
        "[INST]{{ m['content'] | trim }}[/INST]{{ '%5s' % 'x' }}{{ '{:>3}'.format(7) }}"
        "{{ ('ab' * 2) ~ (2 ** 10) }}{% endfor %}{{ [1, 2] | tojson }}"
    )
    assert render(source) == "<s>012[INST]Hello[/INST]    x  7abab1024[1, 2]"
    builtin = ChatTemplate.builtin().render(HELLO)
    assert builtin.endswith("[INST]Hello[/INST]")


def test_the_limits_hold_off_the_main_thread_too() -> None:
    """Where no interval timer can interrupt (another thread, Windows), the checked operations
    still look at the clock."""
    import threading

    outcome: list[BaseException | str] = []

    def work() -> None:
        try:
            outcome.append(
                render("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}"
                       "{% endfor %}")
            )  # fmt: skip
        except TemplateError as exc:
            outcome.append(exc)

    thread = threading.Thread(target=work)
    started = time.perf_counter()
    thread.start()
    thread.join(10)
    assert time.perf_counter() - started < 2.0
    assert "ran for more than" in str(outcome[0])
