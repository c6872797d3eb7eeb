"""Test doubles for the runner's fault isolation, registered through the
reader registry when a worker imports this module (settings.plugins).

A file whose first bytes are FAULT-SLEEP hangs, FAULT-SEGV crashes its
worker with a segmentation fault, FAULT-EXIT ends it with os._exit, and
FAULT-ALLOC allocates without bound."""

from __future__ import annotations

import ctypes
import os
import time
from dataclasses import dataclass
from pathlib import Path

from thaiplan.extract import registry
from thaiplan.extract.model import RawDocument
from thaiplan.settings import Settings


@dataclass(frozen=True)
class FaultReader:
    FORMAT: str = "fault"

    def sniff(self, head: bytes) -> bool:
        return head.startswith(b"FAULT-")

    def read(self, path: Path, settings: Settings | None = None) -> RawDocument:
        kind = path.read_bytes().split(b"\n", 1)[0].decode()
        if kind == "FAULT-SLEEP":
            time.sleep(3600)
        elif kind == "FAULT-SEGV":
            ctypes.string_at(0)  # reads address 0: SIGSEGV in native code
        elif kind == "FAULT-EXIT":
            os._exit(3)
        elif kind == "FAULT-ALLOC":
            hoard = []
            while True:
                hoard.append(bytearray(64 << 20))  # touched pages: resident memory grows
                for block in hoard[-1:]:
                    block[:: 4096] = b"x" * len(block[:: 4096])
                time.sleep(0.02)
        raise AssertionError(f"unknown fault {kind}")


READER = FaultReader()
if READER not in registry.READERS:
    registry.register(READER)
