"""Login and password-reset rate limiting: a fixed window per e-mail and per client address, in the cache."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(kind: str, value: str) -> str:
    return f"aspa:rl:{kind}:{hashlib.sha256(value.lower().encode()).hexdigest()[:32]}"


def login_keys(*, email: str, address: str) -> list[str]:
    # The per-address limit is looser so a shared office NAT does not lock a whole team out.
    return [_key("login", f"{email}|{address}"), _key("login-ip", address)]


def login_blocked(*, email: str, address: str) -> bool:
    user_key, ip_key = login_keys(email=email, address=address)
    limit = settings.ASPA_LOGIN_MAX_ATTEMPTS
    return (cache.get(user_key, 0) >= limit) or (cache.get(ip_key, 0) >= limit * 10)


def count_hit(key: str, timeout: int) -> int:
    """Count one hit in a fixed window that starts with the first hit; returns the count so far."""
    if cache.add(key, 1, timeout=timeout):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=timeout)
        return 1


def login_failed(*, email: str, address: str) -> None:
    for key in login_keys(email=email, address=address):
        count_hit(key, settings.ASPA_LOGIN_WINDOW_SECONDS)


def login_succeeded(*, email: str, address: str) -> None:
    cache.delete(login_keys(email=email, address=address)[0])


# A reset sends a mail to whatever address is typed in: without a limit anyone can flood a person's
# inbox (and the organisation's mail reputation) from the public page.
RESET_PER_EMAIL = 3
RESET_PER_ADDRESS = 20


def password_reset_hit(*, email: str, address: str) -> bool:
    """Count one reset request; True when the e-mail or the address asked too often (refuse it)."""
    window = settings.ASPA_LOGIN_WINDOW_SECONDS
    per_email = count_hit(_key("reset", email), window)
    per_address = count_hit(_key("reset-ip", address), window)
    return per_email > RESET_PER_EMAIL or per_address > RESET_PER_ADDRESS
