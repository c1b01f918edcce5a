"""Development tooling, not the product: benchmarks and measurements, the local Redis/PostgreSQL
services and the local worker cluster the tests and benchmarks use. Only the `casefile bench*` and
`casefile adapt` commands import it, inside the command."""
