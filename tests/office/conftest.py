"""Fixtures for the back office's view tests: the commune's birth procedure with its process."""

import pytest

from tests.dossier_scenarios import birth_procedure


@pytest.fixture
def procedure(demo):
    return birth_procedure(demo)
