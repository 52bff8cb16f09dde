"""Whether a person's bio says more than the headline shown above it.

Profiles are often filled from one self-description ("I am a research scientist at
…"): a headline made from it and the same sentence as the bio would show the reader the
same words twice, once in the header and again under "About".
"""

import re

# "I am a …", "I'm an …", "I am the …": the first person a bio adds to a headline.
_FIRST_PERSON = re.compile(r"^(?:i\s+am|i['’]m)\s+(?:(?:an?|the)\s+)?")
_WORD = re.compile(r"[^\W_]+")


def _words(text):
    text = " ".join(str(text or "").split()).casefold()
    return _WORD.findall(_FIRST_PERSON.sub("", text))


def bio_adds_to_headline(bio, headline):
    """Whether ``bio`` (Markdown) has anything to show beyond ``headline``: not when it is
    empty, nor when its words are the headline's (ignoring case, punctuation, Markdown
    marks and a leading "I am a")."""
    words = _words(bio)
    return bool(words) and words != _words(headline)
