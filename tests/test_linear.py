"""No normaliser takes more than linear time in a cell's length (issue 15): each
is timed on 10 KB and on 1 MB of every adversarial text (tests/normalisers.py);
the 1 MB run may take at most 150 times the 10 KB one (linear is 100). A run
past its budget is stopped by an alarm, so a quadratic step fails in seconds
instead of hanging the suite."""

from __future__ import annotations

import signal
import time
from collections.abc import Callable

import pytest

from tests.normalisers import ADVERSARIAL, NORMALISERS, clear_caches, name_of

SMALL, LARGE = 10_000, 1_000_000
MAX_RATIO = 150
FLOOR_S = 0.005  # a 10 KB run faster than this counts as this (timer noise)

pytestmark = pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="needs POSIX interval timers")


class _Overrun(Exception):
    pass


def _seconds(function: Callable[[str], object], text: str, budget: float | None = None) -> float:
    clear_caches()
    if budget is not None:
        signal.signal(signal.SIGALRM, _raise_overrun)
        signal.setitimer(signal.ITIMER_REAL, budget)
    started = time.perf_counter()
    try:
        function(text)
    except _Overrun:
        return float("inf")
    except Exception:  # noqa: S110 (a normaliser may refuse the text: only its time matters)
        pass
    finally:
        if budget is not None:
            signal.setitimer(signal.ITIMER_REAL, 0)
    return time.perf_counter() - started


def _raise_overrun(signum: int, frame: object) -> None:
    raise _Overrun


@pytest.mark.parametrize("function", NORMALISERS, ids=name_of)
def test_normaliser_is_linear_on_adversarial_text(function: Callable[[str], object]) -> None:
    _seconds(function, "warm up ๑ โครงการ")  # lazy loads (dictionary, tokenizer) are not the text's time
    slow = []
    for pattern, build in ADVERSARIAL.items():
        small = max(sorted(_seconds(function, build(SMALL)) for _ in range(3))[1], FLOOR_S)  # the median
        text, budget = build(LARGE), small * MAX_RATIO
        # up to three tries: a run slowed by the other processes of a shared machine is not the text's
        # doing (a quadratic step is 10,000 times slower at 1 MB, not 1.5)
        if all(_seconds(function, text, budget) > budget for _ in range(3)):
            slow.append(f"{pattern}: {small * 1000:.1f} ms at 10 KB, over {budget:.2f} s at 1 MB")
    assert not slow, f"{name_of(function)} is not linear: " + "; ".join(slow)
