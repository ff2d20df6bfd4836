"""Restriction detection: every restrictive clause with its evidence."""
