"""The people most consent tests need, besides the shared world (samenplan/conftest.py)."""

import pytest

from samenplan.accounts.models import Role
from samenplan.accounts.services import add_membership
from samenplan.accounts.tests.factories import UserFactory


@pytest.fixture
def quality(world):
    return world.people["quality"]


@pytest.fixture
def board(world):
    return world.people["board"]


@pytest.fixture
def var_secretary(world):
    """A secretary of the nursing council (VAR), who records its decisions."""
    user = UserFactory(username="var_secretary", first_name="Marieke", last_name="de Vries")
    add_membership(user=user, role=Role.COUNCIL_SECRETARY, council=world.nursing_council)
    return user
