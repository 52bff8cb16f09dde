"""Short random identifiers that never change, for permalinks (`/r/<stable id>`)."""

import secrets

# Crockford's base32: no I, L, O or U, so an id read aloud or retyped stays unambiguous.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 10  # 32**10 ≈ 10**15 ids: collisions are negligible, and the column is unique anyway.


def new_stable_id() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize_stable_id(value: str) -> str:
    """Upper-case and undo the usual misreadings (O→0, I/L→1), as Crockford's spec says."""
    return value.strip().upper().translate(str.maketrans("OIL", "011"))
