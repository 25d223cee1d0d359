"""Transitional: the demo city moved to the `demo` app (demo/organisation.py, demo/logins.py,
demo/names.py). The programme demo builders still import these names from here until they
move to demo/programme.py; delete this module then (the core imports no other app)."""

from demo.logins import DEMO_USERNAMES, DemoLogin, demo_password, seed_users  # noqa: F401
from demo.names import name_maker  # noqa: F401
from demo.organisation import (  # noqa: F401
    DEMO_DEPARTMENT_CODE,
    ORGANISATION,
    TOTAL_OFFICIALS,
    Organisation,
    seed_organisation,
)
