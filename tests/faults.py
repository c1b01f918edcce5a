"""Fault injection for the tests of both modes, loaded into the CLI and workers through
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


class FaultEngine(RapidEngine):
    """RapidOCR's reading (its options, models and preparation), with the faults above."""

    name = "fault"

    def read(self, image):
        lines = super().read(image)
        text = "".join(line.text for line in lines).upper()
        if "POISONCRASH" in text:
            os.kill(os.getpid(), signal.SIGKILL)
        if "POISONHANG" in text:
            time.sleep(24 * 3600)
        return lines


register_engine(FaultEngine)

if os.environ.get("CASEFILE_TEST_DELIVER_TWICE") == "1":
    from workers.dispatch import CeleryDispatcher

    _send_once = CeleryDispatcher.send

    def _send_twice(self, task, object_id, producer=None):
        _send_once(self, task, object_id, producer)
        _send_once(self, task, object_id, producer)

    CeleryDispatcher.send = _send_twice


# --- The embedded mode (tests/test_crash_resume.py, tests/test_page_deadline.py) ---------------
#
# - CASEFILE_TEST_KILL_AT: the run's own process is SIGKILLed, as a power cut would stop it, at a
#   moment named so that it is certain, not a matter of timing:
#     ingest:N  while receiving the N-th new file (before its original is stored and recorded)
#     ocr:N     when a page starts after N pages are recorded (the page process kills the run,
#               then dies with it: the page is left running, half-done)
#     finalize:N  finalising the N-th file, once it is claimed, before its documents are written
#     close     inside the batch's close, after the cases were evaluated, before it commits
# - Pages whose words (text layer or OCR) show POISONCRASH kill their process; POISONHANG ones sleep for ever, as a stuck engine would
#   (a signal can still interrupt them); POISONSTUCK ones also block the soft time limit's signal,
#   as a native call that never returns to Python does, so only killing the process ends them.

KILL_AT = os.environ.get("CASEFILE_TEST_KILL_AT", "")


def _hang(signals_blocked: bool) -> None:
    if signals_blocked:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1, signal.SIGTERM})
    while True:
        time.sleep(3600)


def _install_embedded_faults() -> None:
    import pipeline.flow as flow
    import pipeline.ingest_batch as ingest_batch
    import pipeline.pages as pages

    real_read = pages.read_page_text

    def read_page_text(page, options):
        if KILL_AT.startswith("ocr:"):
            from records.models import Page

            if Page.objects.filter(status=Page.Status.DONE).count() >= int(KILL_AT[4:]):
                os.kill(os.getppid(), signal.SIGKILL)  # the run; this process dies with it
                _hang(signals_blocked=False)
        text = real_read(page, options)
        words = text.text.upper()
        if "POISONCRASH" in words:
            os.kill(os.getpid(), signal.SIGKILL)
        if "POISONSTUCK" in words:
            _hang(signals_blocked=True)
        if "POISONHANG" in words:
            _hang(signals_blocked=False)
        return text

    pages.read_page_text = read_page_text

    if KILL_AT.startswith("ingest:"):
        real_receive, calls = ingest_batch.receive_file, [0]

        def receive_file(*args, **kwargs):
            calls[0] += 1
            if calls[0] == int(KILL_AT[7:]):
                os.kill(os.getpid(), signal.SIGKILL)
            return real_receive(*args, **kwargs)

        ingest_batch.receive_file = receive_file

    if KILL_AT.startswith("finalize:"):
        from pipeline.documents import claim_file

        real_finalize, finalized = flow.finalize_file, [0]

        def finalize_file(file_id):
            finalized[0] += 1
            if finalized[0] == int(KILL_AT[9:]) and claim_file(file_id):
                os.kill(os.getpid(), signal.SIGKILL)
            return real_finalize(file_id)

        flow.finalize_file = finalize_file

    if KILL_AT == "close":
        real_evaluate = flow.evaluate_cases

        def evaluate_cases(*args, **kwargs):
            real_evaluate(*args, **kwargs)
            os.kill(os.getpid(), signal.SIGKILL)

        flow.evaluate_cases = evaluate_cases


_install_embedded_faults()
