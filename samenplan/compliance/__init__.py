"""The pure compliance checker: a plan's snapshot in, findings out. A plain package, not an app."""

from .checker import CheckContext, Finding, Severity, Target, blocking, check

__all__ = ["CheckContext", "Finding", "Severity", "Target", "blocking", "check"]
