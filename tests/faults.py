"""Fault injection for the distributed-mode tests, loaded into the CLI and workers through
CASEFILE_PLUGINS=tests.faults (never in production).

- OCR engine "fault": reads pages with RapidOCR, but a page showing the word POISONCRASH kills
  its own process (as a segfault or the OOM killer would) and one showing POISONHANG never
  returns (as a stuck engine would), so each page's fate is decided by what is printed on it.
- CASEFILE_TEST_DELIVER_TWICE=1: every task message is sent twice, as a broker may redeliver.
"""
from __future__ import annotations

import os
import signal
import time

from ocr.engines import register_engine
from ocr.engines.rapid import RapidEngine


class FaultEngine:
    name = "fault"

    def __init__(self, options):
        self.inner = RapidEngine(options.max_side_len, options.threads)

    def read(self, image):
        lines = self.inner.read(image)
        text = "".join(line.text for line in lines).upper()
        if "POISONCRASH" in text:
            os.kill(os.getpid(), signal.SIGKILL)
        if "POISONHANG" in text:
            time.sleep(24 * 3600)
        return lines


register_engine("fault", FaultEngine)

if os.environ.get("CASEFILE_TEST_DELIVER_TWICE") == "1":
    from workers.dispatch import CeleryDispatcher

    _send_once = CeleryDispatcher.send

    def _send_twice(self, task, object_id, producer=None):
        _send_once(self, task, object_id, producer)
        _send_once(self, task, object_id, producer)

    CeleryDispatcher.send = _send_twice
