"""The report contract (casefile.report/1): its JSON Schema, validation, and the eval scorer."""
from report.contract import SCHEMA_PATH, validate_report  # noqa: F401
