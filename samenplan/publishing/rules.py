"""Who may make a plan public: the organisation's board and quality staff, nobody else (not the
platform admin either: publishing speaks for the organisation). Reading what is public needs no
permission at all; the selectors only ever return what is published."""

import rules

from samenplan.organisations.rules import manages_organisation

rules.add_perm("publishing.publish_plan", manages_organisation)
