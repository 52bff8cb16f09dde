"""Load the demo content (the three seed pages) from ``demo_content.yaml``.

Idempotent: rows are matched by natural keys and only written when something
differs, so a second run reports zero changes. Runs in one transaction: a bad
file changes nothing.
"""

import datetime
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime

from core.db.revisions import recorded
from core.db.slugs import slug_base
from media_items.models import Appearance, KeyPoint, MediaItem, Outlet
from profiles.models import Affiliation, Organization, Person, ProfileLink, ReportedMetric
from publications.models import Authorship, Publication, Topic

from .models import SelectedWork

DEMO_FILE = Path(__file__).with_name("demo_content.yaml")


class DemoDataError(Exception):
    """The demo file is missing, malformed or inconsistent; the message says where."""


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    changes: list[str] = field(default_factory=list)

    @property
    def changed(self):
        return self.created + self.updated


def read_demo_file(path=DEMO_FILE):
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DemoDataError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DemoDataError(f"{path}: cannot read: {exc}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or exc
        raise DemoDataError(f"{path}:{where} not valid YAML: {problem}") from None
    if not isinstance(data, dict):
        raise DemoDataError(f"{path}: expected a mapping of sections at the top level")
    return data


def load_demo(path=DEMO_FILE) -> LoadReport:
    data = read_demo_file(path)
    loader = _Loader(data)
    try:
        with recorded(user=None, comment="Loaded the demo content."):
            loader.run()
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise DemoDataError(f"{path}: {loader.where}: invalid or missing value ({exc})") from None
    except ValidationError as exc:
        raise DemoDataError(f"{path}: {loader.where}: {describe(exc)}") from None
    return loader.report


def describe(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}" if name != "__all__" else " ".join(messages)
            for name, messages in error.message_dict.items()
        )
    return "; ".join(error.messages)


class _Loader:
    def __init__(self, data):
        self.data = data
        self.report = LoadReport()
        self.where = "top level"
        self.orgs, self.people, self.topics, self.papers, self.outlets = {}, {}, {}, {}, {}

    def section(self, name):
        items = self.data.get(name) or []
        if not isinstance(items, list):
            raise TypeError(f"section '{name}' must be a list")
        for index, item in enumerate(items):
            self.where = f"{name}[{index}]"
            if not isinstance(item, dict):
                raise TypeError("expected a mapping")
            yield item

    # -- writing -------------------------------------------------------------------
    def sync(self, model, lookup, values):
        """Create or update one row, writing only when a value differs."""
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            obj.full_clean()
            obj.save()
            self.report.created += 1
            self.report.changes.append(f"created {model._meta.verbose_name} {obj}")
            return obj
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj.full_clean()
            obj.save()
            self.report.updated += 1
            self.report.changes.append(f"updated {obj}: {', '.join(changed)}")
        else:
            self.report.unchanged += 1
        return obj

    def sync_children(self, parent, related_name, model, rows, key):
        """Make ``parent``'s children equal ``rows`` (dicts), replacing them only if they differ.

        ``key`` maps a child instance to the same shape as a row, for the comparison.
        """
        manager = getattr(parent, related_name)
        if [key(child) for child in manager.all()] == [key(row) for row in rows]:
            return
        manager.all().delete()
        for row in rows:
            row = {k: v for k, v in row.items() if not k.startswith("_")}
            child = model(**{manager.field.name: parent}, **row)
            child.full_clean()
            child.save()
        self.report.updated += 1
        self.report.changes.append(f"updated {related_name} of {parent}")

    def sync_m2m(self, obj, name, targets):
        manager = getattr(obj, name)
        if set(manager.all()) != set(targets):
            manager.set(targets)
            self.report.updated += 1
            self.report.changes.append(f"updated {name} of {obj}")

    # -- sections ------------------------------------------------------------------
    def run(self):
        for item in self.section("organizations"):
            self.orgs[item["slug"]] = self.sync(
                Organization,
                {"slug": item["slug"]},
                {
                    "name": item["name"],
                    "short_name": item.get("short_name", ""),
                    "kind": item.get("kind", Organization.Kind.OTHER),
                    "url": item.get("url", ""),
                    "is_published": True,
                },
            )
        for item in self.section("people"):
            self.people[item["slug"]] = self.sync(
                Person,
                {"slug": item["slug"]},
                {
                    "name": item["name"],
                    "pronouns": item.get("pronouns", ""),
                    "headline": item.get("headline", ""),
                    "bio": item.get("bio", ""),
                    "public_email": item.get("public_email", ""),
                    "disclaimer": item.get("disclaimer", ""),
                    "name_variants": "\n".join(item.get("name_variants", [])),
                    "is_featured": bool(item.get("featured")),
                    "is_published": True,
                },
            )
        for item in self.section("topics"):
            self.topics[item["slug"]] = self.sync(
                Topic,
                {"slug": item["slug"]},
                {"name": item["name"], "summary": item.get("summary", ""), "is_published": True},
            )
        for item in self.section("publications"):
            self.load_publication(item)
        for item in self.section("people"):
            self.load_person_details(self.people[item["slug"]], item)
        for item in self.section("outlets"):
            self.outlets[item["slug"]] = self.sync(
                Outlet,
                {"slug": item["slug"]},
                {
                    "name": item["name"],
                    "short_name": item.get("short_name", ""),
                    "kind": item.get("kind", Outlet.Kind.PODCAST),
                    "url": item.get("url", ""),
                    "is_published": True,
                },
            )
        for item in self.section("media_items"):
            self.load_media_item(item)

    def person_for_author(self, name):
        for person in self.people.values():
            if name == person.name or name in person.name_variant_list:
                return person
        return None

    def load_publication(self, item):
        date = datetime.date.fromisoformat(str(item["date"])) if item.get("date") else None
        paper = self.sync(
            Publication,
            {
                "slug": item.get("slug")
                or slug_base(
                    item["title"], max_length=Publication._meta.get_field("slug").max_length
                )
            },
            {
                "title": item["title"],
                "abstract": item.get("abstract", ""),
                "kind": item.get("kind", Publication.Kind.PREPRINT),
                "published_on": date,
                "date_precision": Publication.DatePrecision.DAY,
                "arxiv_primary_category": item.get("category", ""),
                "code_url": item.get("code_url") or "",
                "has_more_authors": bool(item.get("authors_truncated")),
                "is_published": True,
            },
        )
        self.papers[item["title"]] = paper
        rows = [
            {"position": position, "name": name, "person": self.person_for_author(name)}
            for position, name in enumerate(item.get("authors", []), start=1)
        ] + [
            {"position": None, "name": name, "person": self.person_for_author(name)}
            for name in item.get("authors_behind_et_al", [])
        ]
        self.sync_children(
            paper,
            "authorships",
            Authorship,
            rows,
            key=lambda a: (
                (a["position"], a["name"], a["person"])
                if isinstance(a, dict)
                else (a.position, a.name, a.person)
            ),
        )
        self.sync_m2m(paper, "organizations", [self.orgs[s] for s in item.get("affiliations", [])])
        self.sync_m2m(paper, "topics", [self.topics[s] for s in item.get("topics", [])])

    def load_person_details(self, person, item):
        def pick(row, *names):
            return tuple(row[n] if isinstance(row, dict) else getattr(row, n) for n in names)

        affiliations = [
            {
                "position": position,
                "organization": self.orgs[a["organization"]],
                "role": a.get("role", ""),
                "is_current": bool(a.get("current", True)),
            }
            for position, a in enumerate(item.get("affiliations", []))
        ]
        self.sync_children(
            person,
            "affiliations",
            Affiliation,
            affiliations,
            key=lambda r: pick(r, "position", "organization", "role", "is_current"),
        )
        links = [
            {
                "position": position,
                "kind": link["kind"],
                "label": link.get("label", ""),
                "url": link.get("url", ""),
                "is_highlighted": bool(link.get("highlight")),
            }
            for position, link in enumerate(item.get("links", []))
        ]
        self.sync_children(
            person,
            "links",
            ProfileLink,
            links,
            key=lambda r: pick(r, "position", "kind", "label", "url", "is_highlighted"),
        )
        reported = item.get("reported_metrics") or {}
        as_of = reported.get("as_of")
        metrics = [
            {
                "position": position,
                "label": label,
                "value": str(value),
                "source": reported["source"],
                "source_url": reported.get("source_url", ""),
                "as_of": datetime.date.fromisoformat(str(as_of)) if as_of else None,
            }
            for position, (label, value) in enumerate(reported.get("figures", []))
        ]
        self.sync_children(
            person,
            "reported_metrics",
            ReportedMetric,
            metrics,
            key=lambda r: pick(r, "position", "label", "value", "source", "source_url", "as_of"),
        )
        selected = [
            {
                "position": position,
                "title": work.get("title", ""),
                "url": work.get("url", ""),
                "publication": self.papers[work["publication"]]
                if work.get("publication")
                else None,
            }
            for position, work in enumerate(item.get("selected_work", []))
        ]
        self.sync_children(
            person,
            "selected_work",
            SelectedWork,
            selected,
            key=lambda r: pick(r, "position", "title", "url", "publication"),
        )

    def load_media_item(self, item):
        cached = item.get("cached_content") or {}
        fetched_at = parse_datetime(str(cached["fetched_at"])) if cached.get("fetched_at") else None
        media = self.sync(
            MediaItem,
            {"slug": item["slug"]},
            {
                "title": item["title"],
                "kind": item.get("kind", MediaItem.Kind.PODCAST_EPISODE),
                "outlet": self.outlets[item["outlet"]] if item.get("outlet") else None,
                "episode_number": item.get("episode_number"),
                "published_on": (
                    datetime.date.fromisoformat(str(item["date"])) if item.get("date") else None
                ),
                "url": item.get("url", ""),
                "description": item.get("description", ""),
                "summary": item.get("summary", ""),
                "importance": item.get("importance"),
                "source_kind": item.get("source_kind", MediaItem.SourceKind.PRIMARY),
                "cached_content": cached.get("text", ""),
                "cached_content_fetched_at": fetched_at,
                "cached_content_status": cached.get("status"),
                "cached_content_size": cached.get("size"),
                "external_ids": item.get("external_ids", {}),
                "is_published": True,
            },
        )
        self.sync_children(
            media,
            "key_points",
            KeyPoint,
            [{"position": i, "text": text} for i, text in enumerate(item.get("key_points", []))],
            key=lambda r: (
                (r["position"], r["text"]) if isinstance(r, dict) else (r.position, r.text)
            ),
        )
        appearances = [
            {"position": i, "person": self.people[a["person"]], "role": a["role"]}
            for i, a in enumerate(item.get("appearances", []))
        ]
        self.sync_children(
            media,
            "appearances",
            Appearance,
            appearances,
            key=lambda r: (
                (r["position"], r["person"], r["role"])
                if isinstance(r, dict)
                else (r.position, r.person, r.role)
            ),
        )
        self.sync_m2m(
            media, "discusses", [self.papers[title] for title in item.get("discusses", [])]
        )
        self.sync_m2m(media, "topics", [self.topics[s] for s in item.get("topics", [])])
