"""OCR engines behind one interface (ocr.engines.base.OcrEngine)."""
