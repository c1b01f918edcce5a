"""Development tooling, not the product: benchmarks, the local Redis/PostgreSQL services and the
local worker cluster the tests and benchmarks use. Only `casefile bench*` imports it, inside the command."""
