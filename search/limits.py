"""How much a search ranks, and what each field of a document weighs. Read as
``limits.MATCH_CAP`` wherever used, so a test can lower the cap in one place."""

#: Per type, a search ranks and counts at most this many matches (more show as "1,000+"),
#: so a word found in most papers costs about what a rarer word costs.
MATCH_CAP = 1000
#: PostgreSQL's default rank weights for D, C, B, A; SQLite's bm25() weighs its columns
#: with the same, and the containment fallback sums them.
WEIGHTS = {"A": 1.0, "B": 0.4, "C": 0.2, "D": 0.1}
