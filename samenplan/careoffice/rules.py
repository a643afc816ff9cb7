import rules  # noqa: F401

from . import dialogue_rules  # noqa: F401  (rules autodiscovery imports this module only)
