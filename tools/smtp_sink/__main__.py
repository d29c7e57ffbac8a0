"""`python -m tools.smtp_sink [--port 1025] [--dir .local/mail]`: run the local SMTP sink."""

from __future__ import annotations

import argparse
import signal
import threading
from pathlib import Path

from tools.smtp_sink import SmtpSink


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=1025)
    parser.add_argument("--dir", type=Path, default=Path(".local/mail"))
    args = parser.parse_args()
    sink = SmtpSink(args.dir, args.host, args.port).start()
    print(f"SMTP sink on {args.host}:{sink.port}, messages in {args.dir}/", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    sink.stop()


if __name__ == "__main__":
    main()
