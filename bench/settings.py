"""Settings of the gunicorn that bench/pages.py starts: the product's, plus the bare views
(bench.urls) and their template. The product's settings and URLs are untouched."""

import copy

from kindness.settings import *  # noqa: F403
from kindness.settings import BASE_DIR, TEMPLATES

ROOT_URLCONF = "bench.urls"
TEMPLATES = copy.deepcopy(TEMPLATES)
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]
