"""reread: bring stored files up to the current classifier and extractor without reading a page again.

After an upgrade (a new EXTRACTOR_VERSION, better page titles, new rules) the OCR text stored with
every page is still good; only what was derived from it is stale. For each finished file:

- no reviewer has touched any of its documents: its pages are classified again from their stored
  text and the file is split into documents and extracted afresh (as finalize_file does);
- a reviewer has worked on some of its documents: the split and the types are the reviewer's to
  keep, so only the untouched documents are extracted again, and decided fields stay as they are.

Then every document is linked again and every case evaluated again, under the casework lock.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import transaction

from classify import classify_page
from config.options import PipelineOptions
from pipeline.documents import extract_again, finalize_file
from pipeline.flow import casework_lock
from pipeline.learned import classifier_version, page_model
from pipeline.linking import evaluate_cases, link_all_documents
from pipeline.pages import stored_page_text
from records.models import Case, Document, Page, SourceFile

log = logging.getLogger("casefile.reread")


@dataclass(frozen=True)
class RereadResult:
    files_resplit: int  # classified, split and extracted again
    documents_reextracted: int  # in files a reviewer has worked on
    pages_retyped: int  # pages whose type changed
    cases: int


def reread(options: PipelineOptions) -> RereadResult:
    resplit = reextracted = retyped = 0
    for file in SourceFile.objects.filter(status=SourceFile.Status.DONE).order_by("pk"):
        docs = Document.objects.filter(file=file)
        if docs.exclude(review_status=Document.Review.PENDING).exists():
            for doc in docs.filter(review_status=Document.Review.PENDING):
                with transaction.atomic():
                    extract_again(doc)
                reextracted += 1
            continue
        retyped += _classify_again(file, options)
        # finalize_file claims a PROCESSING file; a file that is DONE is handed back to it here.
        SourceFile.objects.filter(pk=file.pk, status=SourceFile.Status.DONE).update(status=SourceFile.Status.PROCESSING)
        if finalize_file(file.pk) is not None:
            resplit += 1
    with transaction.atomic():
        casework_lock()
        link_all_documents()
        cases = sorted(Case.objects.values_list("id_number", flat=True))
        evaluate_cases(cases, options.cases)
    log.info("reread: %d files split again, %d documents extracted again, %d pages retyped, %d cases",
             resplit, reextracted, retyped, len(cases))
    return RereadResult(resplit, reextracted, retyped, len(cases))


def _classify_again(file: SourceFile, options: PipelineOptions) -> int:
    changed = 0
    model = page_model(options)
    version = classifier_version(model)
    for page in Page.objects.filter(file=file, status=Page.Status.DONE):
        cls = classify_page(stored_page_text(page), model)
        new = (cls.doc_type, cls.confidence, cls.starts_document, version)
        if new != (page.doc_type, page.doc_type_conf, page.starts_document, page.classifier_version):
            changed += page.doc_type != cls.doc_type
            page.doc_type, page.doc_type_conf, page.starts_document, page.classifier_version = new
            page.save(update_fields=["doc_type", "doc_type_conf", "starts_document", "classifier_version"])
    return changed
