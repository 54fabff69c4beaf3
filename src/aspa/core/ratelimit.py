"""Login rate limiting: a fixed window per (e-mail, client address) and per address, kept in the cache."""

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


def login_failed(*, email: str, address: str) -> None:
    for key in login_keys(email=email, address=address):
        if not cache.add(key, 1, timeout=settings.ASPA_LOGIN_WINDOW_SECONDS):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, timeout=settings.ASPA_LOGIN_WINDOW_SECONDS)


def login_succeeded(*, email: str, address: str) -> None:
    cache.delete(login_keys(email=email, address=address)[0])
