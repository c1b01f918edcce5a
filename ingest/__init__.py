"""Ingest: turn what a clerk uploaded into typed page sources.

Plain functions over bytes; storing originals and recording rows is the pipeline's job.
- ``collect(inputs)`` walks files, folders and ZIP archives into ``Upload`` items (or errors).
- ``sniff(data)`` names the real type from content, never from the extension.
- ``open_pages(data, kind, options)`` renders every page once and reads PDF text layers.
"""
from ingest.collect import Upload, UploadError, collect  # noqa: F401
from ingest.options import IngestOptions  # noqa: F401
from ingest.pages import PageSource, open_pages  # noqa: F401
from ingest.sniff import sniff  # noqa: F401
