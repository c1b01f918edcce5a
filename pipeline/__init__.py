"""The pipeline: the same functions run in the embedded mode and on Celery workers.

``submit_batch`` (ingest_batch, then hand new pages to a dispatcher) → ``process_page`` (per page,
parallel) → ``finalize_file`` (per file, once) → ``close_batch`` (link documents, evaluate cases;
per batch, once) → ``build_report``. flow.py decides what follows what; sweep.py finds work whose
process or message was lost. Each function takes ids, reads and writes through the Django models,
and calls the plain-Python domain core (ingest, ocr, classify, extract, cases).
"""
