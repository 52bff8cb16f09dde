"""What of this app site search finds (``search.registry``): papers, found by their
authors' names too, and topics, offered when a search finds nothing."""

from search.registry import Related, SearchKind, register

from .abstracts import abstract_text
from .models import Authorship, Publication, Topic

register(
    SearchKind(
        key="papers",
        label="Papers",
        singular="paper",
        model=Publication,
        fields=(("title", "A"), ("abstract", "B")),
        snippet_fields=("abstract",),
        shows=lambda rows: rows.for_listing(),  # authors, their affiliations, institutions
        related=Related(Authorship, "publication", "name", "B"),
        position=20,
        # An abstract may be TeX-flavoured: the snippet shows it as the paper page does.
        snippet_text=(("abstract", abstract_text),),
    )
)
register(
    SearchKind(
        key="topics",
        label="Topics",
        singular="topic",
        model=Topic,
        fields=(("name", "A"), ("summary", "B")),
        snippet_fields=("summary",),
        shows=lambda rows: rows,
        position=40,
        offered_when_nothing_found=True,
    )
)
