"""A process that must not outlive the one that started it (Linux: PR_SET_PDEATHSIG).

The kernel clears the setting in a forked child, so every level asks for it itself:
the run's workers (thaiplan.worker) and the OCR page processes a worker forks
(extract/ocr.py). Without it, a SIGKILLed driver left a worker's OCR processes
waiting forever on a queue nobody writes to."""

from __future__ import annotations

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """SIGKILL this process when its parent dies; exit now if it is already gone."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    if os.getppid() == 1:  # the parent died before the line above ran
        os._exit(0)
