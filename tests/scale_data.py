"""A county-sized workspace built straight into the database (no OCR, no files), for the scale
tests (tests/test_scale_*.py): the factory of `casefile bench-scale` (casefile/bench_scale.py)."""
from casefile.bench_scale import GIVEN, HOMOPHONES, SURNAMES, Person, build, id_number  # noqa: F401
