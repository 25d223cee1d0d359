"""Settings of the gunicorn that bench/pages.py starts: the product's, plus the bare views
(bench.urls) and their template. The product's settings and URLs are untouched."""

import copy

from django.conf import global_settings

from kindness.settings import *  # noqa: F403
from kindness.settings import BASE_DIR, TEMPLATES, env

ROOT_URLCONF = "bench.urls"
TEMPLATES = copy.deepcopy(TEMPLATES)
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]

# What-if only (bench/pages.py --cheap-secret-hash): a report's tracking secret hashed at
# 1/1000 of Django's PBKDF2 cost, to show what the report POST costs besides that hash.
if env.bool("BENCH_CHEAP_SECRET_HASH", default=False):
    PASSWORD_HASHERS = ["bench.hashers.CheapSecretHasher", *global_settings.PASSWORD_HASHERS]
