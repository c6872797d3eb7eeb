"""The worker process: `python -m thaiplan.worker`, started and watched by
thaiplan.pool. It converts one file at a time, as the driver asks.

Requests and replies are length-prefixed pickles on the process's own
stdin and (a private copy of) stdout; the real fd 1 goes to stderr so a
library that prints cannot garble the channel. A worker dies with its
driver (thaiplan.lifeline), so a killed run leaves no worker behind.
"""

from __future__ import annotations

import importlib
import os
import pickle
import signal
import struct
import sys
from pathlib import Path
from typing import BinaryIO

from thaiplan.lifeline import die_with_parent

HEADER = struct.Struct("!Q")
READY = "ready"  # the first message: the worker has loaded the pipeline


def send(stream: BinaryIO, message: object) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(HEADER.pack(len(data)) + data)
    stream.flush()


def receive(stream: BinaryIO) -> object:
    """The next message, or EOFError when the other side has gone."""
    header = stream.read(HEADER.size)
    if len(header) < HEADER.size:
        raise EOFError
    (size,) = HEADER.unpack(header)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)


def main() -> int:
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the driver's to handle: it ends us
    channel_in = sys.stdin.buffer
    channel_out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # stray prints go to stderr, not into the channel

    from PIL import Image

    from thaiplan import pipeline  # noqa: F401 (loaded before "ready": start-up is not a file's time)
    from thaiplan.extract.pdf import preload
    from thaiplan.outcome import convert_to_outcome
    from thaiplan.thai import thai_words, word_trie

    thai_words(), word_trie()  # the dictionary too: every format's repair needs it
    preload()  # and what a PDF's first page imports
    Image.preinit()  # the image formats of the report's crops

    send(channel_out, READY)
    while True:
        try:
            request = receive(channel_in)
        except EOFError:
            return 0
        source, path, sha256, settings = request  # type: ignore[misc]  # the driver hashed the file already
        for plugin in settings.plugins:  # test doubles and plug-ins that register readers
            importlib.import_module(plugin)
        send(channel_out, convert_to_outcome(Path(path), settings, source, sha256))


if __name__ == "__main__":
    sys.exit(main())
