"""OCR of scanned evidence pages: preprocessing (orientation, deskew, seal suppression,
binarization, table cells) and engines (RapidOCR, tesseract, or a plug-in) behind one interface.

Plain Python: no Django, no Celery, no environment or settings reads (OMP_THREAD_LIMIT=1 is
set for the tesseract subprocess if the operator did not set it).

    from ocr import OcrOptions, read_page
    page_text = read_page(bgr_array, OcrOptions())
"""
from ocr.engines import engine_class, engine_names, register_engine
from ocr.engines.base import EngineOptions, OcrEngine
from ocr.options import OcrOptions
from ocr.page import get_engine, read_page

__all__ = ["EngineOptions", "OcrEngine", "OcrOptions", "engine_class", "engine_names", "get_engine", "read_page",
           "register_engine"]
