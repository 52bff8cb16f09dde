"""Which models keep revisions, and which inlines each revision follows.

Registered here, in the app that sees all content, so that a person's revision can
follow its selected work too. Restoring a revision restores the object and the
inline rows it follows (authors, affiliations, links, appearances, key points).
"""

import reversion

from media_items.models import Appearance, KeyPoint, MediaItem, Outlet
from profiles.models import Affiliation, Organization, Person, ProfileLink, ReportedMetric
from publications.models import Authorship, Publication, Topic

from .models import SelectedWork

FOLLOWS = {
    Person: ("affiliations", "links", "reported_metrics", "selected_work"),
    Publication: ("authorships",),
    MediaItem: ("appearances", "key_points"),
    Organization: (),
    Topic: (),
    Outlet: (),
}
INLINES = (Affiliation, ProfileLink, ReportedMetric, SelectedWork, Authorship, Appearance, KeyPoint)


def register():
    for model in INLINES:
        if not reversion.is_registered(model):
            reversion.register(model)
    for model, follow in FOLLOWS.items():
        if not reversion.is_registered(model):
            reversion.register(model, follow=follow)
