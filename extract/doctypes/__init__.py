"""One module per document type: FIELDS (what belongs to the type) and extract(doc)."""
