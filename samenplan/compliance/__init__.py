"""The pure compliance checker: a plan's snapshot in, findings out. A plain package, not an app."""

from .checker import (
    CheckContext,
    ConsentFacts,
    CouncilFacts,
    Finding,
    ReviewFacts,
    Severity,
    Target,
    TopPointFacts,
    blocking,
    check,
    required_councils,
)

__all__ = ["CheckContext", "ConsentFacts", "CouncilFacts", "Finding", "ReviewFacts", "Severity", "Target",
           "TopPointFacts", "blocking", "check", "required_councils"]
