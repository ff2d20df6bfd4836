"""Errors that map to documented exit codes."""

from __future__ import annotations

EXIT_OK = 0
EXIT_POLICY = 1
EXIT_USAGE = 2
EXIT_HUB = 3


class AuditorError(Exception):
    """An error with a one-line message and an exit code."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, detail: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail


class InputError(AuditorError):
    """Bad target, path, file or rule (exit 2)."""

    exit_code = EXIT_USAGE


class RuleError(InputError):
    """A rule file breaks its schema (exit 2)."""


class HubError(AuditorError):
    """Hub or network failure: not found, no access, timeout (exit 3)."""

    exit_code = EXIT_HUB
