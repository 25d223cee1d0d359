"""For the what-if run of bench/pages.py (--cheap-secret-hash) only: never the product's."""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class CheapSecretHasher(PBKDF2PasswordHasher):
    """PBKDF2-SHA256 at 1,000 iterations instead of Django's 1,000,000 (the demo data's
    tracking secrets use the same cost). Its hashes name their iteration count, so the
    product's own PBKDF2 hasher checks them as usual."""

    iterations = 1_000
