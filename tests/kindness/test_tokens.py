"""kindness.tokens: keyed hashes of system-made secrets (SPEC section 8)."""

import re

from kindness import tokens


def test_a_token_is_22_url_safe_characters_and_repeats_for_the_same_nonce():
    nonce = tokens.new_nonce()
    token = tokens.token_for("survey-link", nonce)
    assert re.fullmatch(r"[A-Za-z0-9_-]{22}", token)
    assert tokens.token_for("survey-link", nonce) == token


def test_nonces_are_128_random_bits():
    nonces = {tokens.new_nonce() for _ in range(100)}
    assert len(nonces) == 100
    assert all(len(n) == 32 for n in nonces)


def test_a_digest_depends_on_the_purpose_and_the_key(settings):
    digest = tokens.keyed_digest("tracking", "secret")
    assert digest != tokens.keyed_digest("survey-link", "secret")
    assert tokens.digest_matches("tracking", "secret", digest)
    assert not tokens.digest_matches("tracking", "Secret", digest)
    assert not tokens.digest_matches("tracking", "secret", "")
    settings.TOKEN_KEY = "rotated"
    assert not tokens.digest_matches("tracking", "secret", digest)


def test_bytes_and_text_hash_alike():
    assert tokens.keyed_digest("p", b"abc") == tokens.keyed_digest("p", "abc")
