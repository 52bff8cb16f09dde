"""Short random identifiers that never change, for permalinks (`/r/<stable id>`).

The one generator: the models' ``stable_id`` default and the importer's bulk-built rows
both call ``new_stable_id``."""

import secrets

# Crockford's base32: no I, L, O or U, so an id read aloud or retyped stays unambiguous.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 10  # 32**10 ≈ 10**15 ids: collisions are negligible, and the column is unique anyway.


def new_stable_id(random_bytes=secrets.token_bytes) -> str:
    """``LENGTH`` symbols of ``ALPHABET``, uniformly (a byte's low five bits: 256 is a
    multiple of 32), from one call to ``random_bytes`` (the OS random source; a seeded
    one, e.g. ``random.Random(1).randbytes``, gives repeatable ids for test data)."""
    return "".join([ALPHABET[byte & 31] for byte in random_bytes(LENGTH)])


def normalize_stable_id(value: str) -> str:
    """Upper-case and undo the usual misreadings (O→0, I/L→1), as Crockford's spec says."""
    return value.strip().upper().translate(str.maketrans("OIL", "011"))
