"""Persistence for casefile: Django models, migrations and admin. No domain logic lives here."""
