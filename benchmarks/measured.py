"""Run one command and write its own wall clock, CPU time and peak RSS to a JSON file.

    python -m benchmarks.measured USAGE.json COMMAND...

Why a process in between: Linux keeps a process's peak RSS across ``exec``, and a child made by
``fork`` (or ``vfork``) starts with its parent's memory, so ``os.wait4`` on a child of the
benchmark reports at least the benchmark's own size. This small process starts the command
(which then inherits this process's small size only), waits for it and reports the command's own
figures; its own start-up is in none of them. Exits with the command's exit code.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    out, command = Path(argv[0]), argv[1:]
    start = time.perf_counter()
    with subprocess.Popen(command) as process:
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    out.write_text(
        json.dumps({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "maxrss_kb": usage.ru_maxrss}),
        "utf-8",
    )
    return process.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
