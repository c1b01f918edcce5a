"""Page classification and document segmentation.

``classify_page(page_text)`` gives a page type with a confidence; ``segment(pages)`` groups the
pages of one file into documents (a clerk often scans a veteran's whole folder as one PDF).
The page type comes from a trained model (classify/model.py) over the page text and its
headings (classify/headings.py, classify/evidence.py); classify/training.py fits it.
"""
from classify.pages import classify_page  # noqa: F401
from classify.segment import DocumentSpan, segment  # noqa: F401
from classify.options import ClassifyOptions  # noqa: F401
