"""The admin's paper import page: upload, paste or name online sources, see the dry run,
confirm.

A thin view over ``publications.importing.service.import_papers``, the function the
``import_papers`` command calls, and over ``importing.online.fetch_online`` for arXiv
ids, DOIs, an ORCID iD and Semantic Scholar or OpenAlex author ids (the command's own
online sources). The preview is a dry run (not recorded), the confirmation the real run,
recorded as an ``ImportRun`` under the staff user. Between the two the input (the file,
the text, or what the online sources answered) travels in the confirmation form, signed
(so it cannot be swapped) and compressed; no file is kept on the server, and the
confirmation imports exactly what the preview showed, without asking the sources again.
"""

import base64
import re

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, RequestDataTooBig
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import capfirst

from core.db.errors import DatabaseWriteError
from profiles.models import Person

from .importing import fetch
from .importing.detect import FORMATS, Source
from .importing.online import OnlineRequest, fetch_online
from .importing.records import InputError, Location, RecordProblem
from .importing.service import import_papers
from .models import Publication

PERMISSION = "publications.add_publication"
SIGNING_SALT = "publications.admin-import"
CONFIRM_MAX_AGE = 3600
ORCID = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")
OPENALEX_AUTHOR = re.compile(r"^A\d+$", re.IGNORECASE)
S2_AUTHOR = re.compile(r"^\d+$")
# Fewer retries than the command: an editor waits for the page.
ONLINE_RETRIES = 1


def online_client() -> fetch.Fetcher:
    """The HTTP client for online sources (tests replace it with recorded answers)."""
    return fetch.Fetcher(retries=ONLINE_RETRIES)


def max_bytes() -> int:
    return settings.IMPORT_MAX_UPLOAD_BYTES


def max_records() -> int:
    """Records one import on this page may hold: each is parsed and merged while the
    request waits, twice (preview, then confirmation)."""
    return settings.IMPORT_MAX_RECORDS


def too_large_message(size: int | None = None, *, command="import_papers FILE") -> str:
    what = f"This input is {filesizeformat(size)}; " if size else "This input is too large; "
    return (
        f"{what}the import page accepts at most {filesizeformat(max_bytes())} "
        f"(setting IMPORT_MAX_UPLOAD_BYTES). Split the file, or import it with "
        f"“manage.py {command}”, which has no such limit."
    )


def _words(text: str) -> list[str]:
    return [word for word in re.split(r"[\s,;]+", text or "") if word]


def _last_part(value: str) -> str:
    return value.strip().rstrip("/").rsplit("/", 1)[-1]


class ImportForm(forms.Form):
    file = forms.FileField(required=False, help_text="BibTeX, RIS, arXiv Atom or JSON.")
    text = forms.CharField(
        label="Or paste",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "cols": 80, "spellcheck": "false"}),
    )
    arxiv = forms.CharField(
        label="arXiv ids",
        required=False,
        help_text="Separated by spaces or commas, e.g. 2401.05566 hep-th/9901001.",
        widget=forms.TextInput(attrs={"class": "vTextField", "spellcheck": "false"}),
    )
    dois = forms.CharField(
        label="DOIs",
        required=False,
        help_text="One per line or separated by spaces, e.g. 10.1371/journal.pone.0033693.",
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60, "spellcheck": "false"}),
    )
    orcid = forms.CharField(
        label="ORCID iD",
        required=False,
        help_text="Every public work, e.g. 0000-0002-1825-0097.",
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )
    s2_author = forms.CharField(
        label="Semantic Scholar author id",
        required=False,
        help_text="Every paper of the author, e.g. 1741101.",
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )
    openalex_author = forms.CharField(
        label="OpenAlex author id",
        required=False,
        help_text="Every work of the author, e.g. A5023888391.",
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )
    format = forms.ChoiceField(
        choices=[("", "Detect from the content"), *FORMATS.items()],
        required=False,
        help_text="For a file or pasted text.",
    )
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        required=False,
        help_text="The profile these papers belong to (links the matching author). An "
        "ORCID, Semantic Scholar or OpenAlex id of a profile chooses it too.",
    )
    publish = forms.BooleanField(required=False, help_text="Publish new papers (default: drafts).")
    overwrite = forms.BooleanField(
        required=False, help_text="Let imported values replace fields an editor changed."
    )
    skip_invalid = forms.BooleanField(
        required=False, help_text="Import the valid records and list the invalid ones."
    )

    FIELDSETS = (
        ("From a file", ("file", "text", "format")),
        ("Or from online sources", ("arxiv", "dois", "orcid", "s2_author", "openalex_author")),
        ("Options", ("person", "publish", "overwrite", "skip_invalid")),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the people this user may see: drafts for those who may view people.
        self.fields["person"].queryset = Person.objects.order_by("name").visible_to(user)

    def fieldsets(self):
        return [(title, [self[name] for name in names]) for title, names in self.FIELDSETS]

    def clean_orcid(self):
        value = _last_part(self.cleaned_data["orcid"]).upper()
        if value and not ORCID.match(value):
            raise forms.ValidationError("An ORCID iD looks like 0000-0002-1825-0097.")
        return value

    def clean_s2_author(self):
        value = _last_part(self.cleaned_data["s2_author"])
        if value and not S2_AUTHOR.match(value):
            raise forms.ValidationError("A Semantic Scholar author id is a number, e.g. 1741101.")
        return value

    def clean_openalex_author(self):
        value = _last_part(self.cleaned_data["openalex_author"]).upper()
        if value and not OPENALEX_AUTHOR.match(value):
            raise forms.ValidationError("An OpenAlex author id looks like A5023888391.")
        return value

    def clean(self):
        data = super().clean()
        upload, text = data.get("file"), data.get("text") or ""
        given = [bool(upload), bool(text.strip()), bool(self.online_request())]
        if sum(given) > 1:
            raise forms.ValidationError(
                "Upload a file, paste text or name online sources: one of them at a time."
            )
        if not any(given) and not self.errors:
            raise forms.ValidationError(
                "Upload a file, paste the papers to import, or name an online source."
            )
        if upload is not None and upload.size > max_bytes():
            self.add_error("file", too_large_message(upload.size))
        elif len(text.encode()) > max_bytes():
            self.add_error("text", too_large_message(len(text.encode())))
        return data

    def online_request(self) -> OnlineRequest:
        data = getattr(self, "cleaned_data", {})
        return OnlineRequest(
            arxiv=_words(data.get("arxiv", "")),
            dois=_words(data.get("dois", "")),
            orcid=data.get("orcid", ""),
            s2_author=data.get("s2_author", ""),
            openalex_author=data.get("openalex_author", ""),
        )

    def source(self) -> Source:
        upload = self.cleaned_data.get("file")
        if upload is not None:
            return Source(name=upload.name, data=upload.read(), format=self.cleaned_data["format"])
        return Source(
            name="pasted text",
            data=self.cleaned_data["text"].encode(),
            format=self.cleaned_data["format"],
        )

    def options(self) -> dict:
        return {
            "person": self.cleaned_data.get("person"),
            "publish": self.cleaned_data.get("publish", False),
            "overwrite": self.cleaned_data.get("overwrite", False),
            "skip_invalid": self.cleaned_data.get("skip_invalid", False),
        }


def readable_changes(changes: list[dict]) -> list[dict]:
    """The preview's changes with field labels ("publication date", not ``published_on``)
    and choices by name ("Journal article", not ``journal_article``)."""
    readable = []
    for change in changes:
        fields = []
        for item in change["fields"]:
            try:
                field = Publication._meta.get_field(item["field"])
            except FieldDoesNotExist:
                fields.append({**item, "field": capfirst(item["field"])})  # "Author 2 name"
                continue
            choices = dict(field.flatchoices) if field.choices else {}
            fields.append(
                {
                    "field": capfirst(field.verbose_name),
                    "old": choices.get(item["old"], item["old"]),
                    "new": choices.get(item["new"], item["new"]),
                }
            )
        readable.append({**change, "fields": fields})
    return readable


class Prepared:
    """What one import on this page reads: its sources, the problems found fetching
    them (unknown ids), its options and the label of its run."""

    def __init__(self, sources, problems, options, label):
        self.sources, self.problems, self.options, self.label = sources, problems, options, label

    def run(self, request, *, dry_run):
        return import_papers(
            self.sources,
            user=request.user,
            dry_run=dry_run,
            problems=self.problems,
            label=self.label,
            max_records=max_records(),
            **self.options,
        )

    def sign(self, request) -> str:
        return signing.dumps(
            {
                "user": request.user.pk,
                "label": self.label,
                "sources": [
                    [source.name, source.format, base64.b64encode(source.data).decode()]
                    for source in self.sources
                ],
                "problems": [[str(p.location), p.message] for p in self.problems],
                "person": self.options["person"].pk if self.options["person"] else None,
                "publish": self.options["publish"],
                "overwrite": self.options["overwrite"],
                "skip_invalid": self.options["skip_invalid"],
            },
            salt=SIGNING_SALT,
            compress=True,
        )

    @classmethod
    def unsign(cls, request, token: str):
        try:
            data = signing.loads(token, salt=SIGNING_SALT, max_age=CONFIRM_MAX_AGE)
        except signing.BadSignature:
            return None
        if data.get("user") != request.user.pk:
            return None
        sources = [
            Source(name=name, data=base64.b64decode(encoded), format=fmt)
            for name, fmt, encoded in data["sources"]
        ]
        problems = [RecordProblem(Location(where), message) for where, message in data["problems"]]
        people = Person.objects.visible_to(request.user)
        options = {
            "person": people.filter(pk=data["person"]).first() if data["person"] else None,
            "publish": bool(data["publish"]),
            "overwrite": bool(data["overwrite"]),
            "skip_invalid": bool(data["skip_invalid"]),
        }
        return cls(sources, problems, options, data["label"])


def _prepare(request, form) -> Prepared:
    """The sources the valid ``form`` names: its file or text, or what its online sources
    answer (``fetch.FetchError`` when one cannot be reached, ``InputError`` when they
    answer more than this page takes)."""
    options = form.options()
    online = form.online_request()
    if not online:
        source = form.source()
        return Prepared([source], [], options, source.name)
    people = Person.objects.visible_to(request.user)
    fetched = fetch_online(online, online_client(), people=people)
    size = sum(len(source.data or b"") for source in fetched.sources)
    if size > max_bytes():
        raise InputError(too_large_message(size, command="import_papers --orcid … (or --doi …)"))
    options["person"] = options["person"] or fetched.person
    return Prepared(fetched.sources, fetched.problems, options, online.label())


def import_view(request, model_admin):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Import papers",
        "opts": model_admin.model._meta,
        "max_bytes": max_bytes(),
        "max_records": max_records(),
        "runs_url": reverse("admin:publications_importrun_changelist"),
    }
    try:
        posted = request.method == "POST" and (request.POST or request.FILES)
    except RequestDataTooBig:
        form = ImportForm(user=request.user)
        context.update(form=form, too_large=too_large_message())
        return TemplateResponse(request, "admin/publications/import.html", context, status=413)
    if posted and "confirm" in request.POST:
        prepared = Prepared.unsign(request, request.POST.get("token", ""))
        if prepared is None:
            messages.error(request, "This preview has expired or was altered: start again.")
            return redirect("admin:publications_publication_import")
        try:
            result = prepared.run(request, dry_run=False)
        except DatabaseWriteError as error:
            return _refused(request, context, ImportForm(user=request.user), error)
        if result.ok:
            messages.success(
                request,
                f"Imported {prepared.label}: {result.created} created, {result.updated} "
                f"updated, {result.unchanged} unchanged, {result.skipped} skipped, "
                f"{result.failed} failed (import run #{result.run.pk}).",
            )
            return redirect(reverse("admin:publications_importrun_change", args=[result.run.pk]))
        context.update(form=ImportForm(user=request.user), result=result)
        return TemplateResponse(request, "admin/publications/import.html", context)
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if posted and form.is_valid():
        try:
            prepared = _prepare(request, form)
        except InputError as error:  # fetch.FetchError too: a source that cannot be reached
            form.add_error(None, f"{error.message}. Nothing was imported.")
        else:
            try:
                result = prepared.run(request, dry_run=True)
            except DatabaseWriteError as error:
                return _refused(request, context, form, error)
            context.update(
                result=result,
                changes=readable_changes(result.changes),
                person=prepared.options["person"],
            )
            if result.ok and (result.created or result.updated):
                context["token"] = prepared.sign(request)
    context["form"] = form
    return TemplateResponse(request, "admin/publications/import.html", context)


def _refused(request, context, form, error):
    """The database refused the import (read-only, full, unreachable): say so, keep the
    form as it was, and answer 503 (the server's state, not the input, is at fault)."""
    messages.error(request, f"The import could not be saved: {error}.")
    context["form"] = form
    return TemplateResponse(request, "admin/publications/import.html", context, status=503)
