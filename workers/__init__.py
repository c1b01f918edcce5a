"""Who runs the page work: an in-process pool (embedded default) or Celery workers (at scale)."""
