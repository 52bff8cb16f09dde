"""factory_boy factories for every content model. Published by default; pass
``is_published=False`` for drafts."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from media_items.models import Appearance, KeyPoint, MediaItem, Outlet
from profiles.models import Affiliation, Organization, Person, ProfileLink, ReportedMetric
from publications.models import Authorship, ImportRun, Publication, Topic
from showcase.models import SelectedWork


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "pass-word-123")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffFactory(UserFactory):
    is_staff = True


class SuperuserFactory(StaffFactory):
    is_superuser = True


class EditorFactory(StaffFactory):
    """A staff user in the Editors group created by the data migration."""

    @factory.post_generation
    def editors_group(obj, create, extracted, **kwargs):
        if create:
            obj.groups.add(Group.objects.get(name="Editors"))


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Institute {n}")
    slug = factory.Sequence(lambda n: f"institute-{n}")
    kind = Organization.Kind.UNIVERSITY
    is_published = True


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Faker("name")
    slug = factory.Sequence(lambda n: f"person-{n}")
    headline = factory.Faker("sentence", nb_words=8)
    is_published = True


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Affiliation

    person = factory.SubFactory(PersonFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = "Researcher"


class ProfileLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProfileLink

    person = factory.SubFactory(PersonFactory)
    kind = ProfileLink.Kind.WEBSITE
    url = factory.Sequence(lambda n: f"https://example.org/{n}")
    label = "Website"


class ReportedMetricFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportedMetric

    person = factory.SubFactory(PersonFactory)
    source = "Semantic Scholar"
    as_of = datetime.date(2026, 1, 1)
    label = "h-index"
    value = "12"


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")
    summary = "A topic."
    is_published = True


class PublicationFactory(factory.django.DjangoModelFactory):
    """A paper; ``authors=N`` adds N authorships in order."""

    class Meta:
        model = Publication
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"A study of learned optimization, part {n}")
    slug = factory.Sequence(lambda n: f"paper-{n}")
    abstract = factory.Faker("paragraph", nb_sentences=5)
    kind = Publication.Kind.PREPRINT
    published_on = factory.Sequence(lambda n: datetime.date(2015 + n % 10, 1 + n % 12, 1))
    arxiv_primary_category = "cs.LG"
    is_published = True

    @factory.post_generation
    def authors(obj, create, extracted, **kwargs):
        if create and extracted:
            for position in range(1, extracted + 1):
                AuthorshipFactory(publication=obj, position=position)


class AuthorshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Authorship

    publication = factory.SubFactory(PublicationFactory)
    position = factory.Sequence(lambda n: n + 1)
    name = factory.Faker("name")


class ImportRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportRun

    source = "papers.bib"
    format = "bibtex"
    status = ImportRun.Status.SUCCEEDED


class OutletFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outlet

    name = factory.Sequence(lambda n: f"Podcast {n}")
    slug = factory.Sequence(lambda n: f"podcast-{n}")
    is_published = True


class MediaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MediaItem

    title = factory.Sequence(lambda n: f"Episode {n}: on alignment")
    slug = factory.Sequence(lambda n: f"episode-{n}")
    outlet = factory.SubFactory(OutletFactory)
    kind = MediaItem.Kind.PODCAST_EPISODE
    published_on = factory.Sequence(lambda n: datetime.date(2020 + n % 6, 1 + n % 12, 1))
    description = "An interview."
    importance = 50
    is_published = True


class AppearanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appearance

    media_item = factory.SubFactory(MediaItemFactory)
    person = factory.SubFactory(PersonFactory)
    role = Appearance.Role.GUEST


class KeyPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyPoint

    media_item = factory.SubFactory(MediaItemFactory)
    position = factory.Sequence(lambda n: n)
    text = factory.Faker("sentence")


class SelectedWorkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SelectedWork

    person = factory.SubFactory(PersonFactory)
    title = factory.Sequence(lambda n: f"Selected work {n}")
