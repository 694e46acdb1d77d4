"""Fixtures the crash-test modules import (``from .tooling.pytest_fixtures import ...``)."""

import threading

import pytest

import odoo


@pytest.fixture(scope="session")
def load_registry():
    """Stands in for pytest-odoo's autouse ``load_registry`` in the modules importing it.

    The crash tests run their own servers on their own cluster and need no Odoo registry
    in the pytest process, so with plain ``pytest`` (no ``--odoo-database``) this does
    nothing; with a database (the suite run) it does what pytest-odoo's does, so the
    other modules' tests find the registry loaded either way.
    """
    if not odoo.tools.config["db_name"]:
        yield
        return
    import pytest_odoo

    threading.current_thread().testing = True
    with pytest_odoo._worker_db_name() as db_name:
        odoo.modules.registry.Registry(db_name)
        yield
