import rules

from samenplan.organisations.rules import is_platform_admin, manages_organisation

rules.add_perm("frameworks.adapt_framework", manages_organisation | is_platform_admin)
