"""Flood limits of the public pages (survey answers, customer ideas): a fixed window per client address."""

from __future__ import annotations

import hashlib

from aspa.core.ratelimit import count_hit

PUBLIC_LIMIT = 20  # requests per window and address
PUBLIC_WINDOW_SECONDS = 600


def _key(kind: str, address: str) -> str:
    return f"aspa:voice:rl:{kind}:{hashlib.sha256(address.encode()).hexdigest()[:32]}"


def public_hit(*, kind: str, address: str, limit: int = PUBLIC_LIMIT) -> bool:
    """Count one request; True when the address is over its limit (the request must be refused)."""
    return count_hit(_key(kind, address), PUBLIC_WINDOW_SECONDS) > limit
