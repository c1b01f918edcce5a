"""Configuration, the ground floor of the outer layers: the CASEFILE_* settings (settings.py), the
pipeline options and the bureau's policy file (options.py), and starting Django on them
(bootstrap.py). It imports no other outer layer; the CLI, the web and the workers build their
settings and options here once and pass them down."""
