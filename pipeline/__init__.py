"""The pipeline: the same functions run in the embedded mode and on Celery workers.

``ingest_batch`` → ``process_page`` (per page, parallel) → ``finalize_file`` (per file, once) →
``evaluate_cases`` → ``build_report``. Each takes ids, reads and writes through the Django models,
and calls the plain-Python domain core (ingest, ocr, classify, extract, cases).
"""
