"""The admin's paper import page: upload or paste, see the dry run, confirm.

A thin view over ``publications.importing.service.import_papers``, the function the
``import_papers`` command calls: the preview is a dry run, the confirmation the real
run, each recorded as an ``ImportRun`` under the staff user. Between the two the input
travels in the confirmation form, signed (so it cannot be swapped) and compressed; no
file is kept on the server.
"""

import base64

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import reverse

from core.db_errors import DatabaseWriteError
from profiles.models import Person

from .importing.detect import FORMATS, Source
from .importing.service import import_papers

PERMISSION = "publications.add_publication"
SIGNING_SALT = "publications.admin-import"
CONFIRM_MAX_AGE = 3600


def max_bytes() -> int:
    return settings.IMPORT_MAX_UPLOAD_BYTES


def max_records() -> int:
    """Records one import on this page may hold: each is parsed and merged while the
    request waits, twice (preview, then confirmation)."""
    return settings.IMPORT_MAX_RECORDS


def too_large_message(size: int | None = None) -> str:
    what = f"This input is {filesizeformat(size)}; " if size else "This input is too large; "
    return (
        f"{what}the import page accepts at most {filesizeformat(max_bytes())} "
        "(setting IMPORT_MAX_UPLOAD_BYTES). Split the file, or import it with "
        "“manage.py import_papers FILE”, which has no such limit."
    )


class ImportForm(forms.Form):
    file = forms.FileField(required=False, help_text="BibTeX, RIS, arXiv Atom or JSON.")
    text = forms.CharField(
        label="Or paste",
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "cols": 100, "spellcheck": "false"}),
    )
    format = forms.ChoiceField(
        choices=[("", "Detect from the content"), *FORMATS.items()], required=False
    )
    person = forms.ModelChoiceField(
        queryset=Person.objects.order_by("name"),
        required=False,
        help_text="The profile these papers belong to (links the matching author).",
    )
    publish = forms.BooleanField(required=False, help_text="Publish new papers (default: drafts).")
    overwrite = forms.BooleanField(
        required=False, help_text="Let imported values replace fields an editor changed."
    )
    skip_invalid = forms.BooleanField(
        required=False, help_text="Import the valid records and list the invalid ones."
    )

    def clean(self):
        data = super().clean()
        upload, text = data.get("file"), data.get("text") or ""
        if upload and text.strip():
            raise forms.ValidationError("Upload a file or paste text, not both.")
        if not upload and not text.strip():
            raise forms.ValidationError("Upload a file or paste the papers to import.")
        if upload is not None and upload.size > max_bytes():
            self.add_error("file", too_large_message(upload.size))
        elif len(text.encode()) > max_bytes():
            self.add_error("text", too_large_message(len(text.encode())))
        return data

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


def _sign(request, source: Source, options: dict) -> str:
    return signing.dumps(
        {
            "user": request.user.pk,
            "name": source.name,
            "format": source.format,
            "data": base64.b64encode(source.data).decode(),
            "person": options["person"].pk if options["person"] else None,
            "publish": options["publish"],
            "overwrite": options["overwrite"],
            "skip_invalid": options["skip_invalid"],
        },
        salt=SIGNING_SALT,
        compress=True,
    )


def _unsign(request, token: str):
    try:
        data = signing.loads(token, salt=SIGNING_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:
        return None
    if data.get("user") != request.user.pk:
        return None
    source = Source(name=data["name"], data=base64.b64decode(data["data"]), format=data["format"])
    options = {
        "person": Person.objects.filter(pk=data["person"]).first() if data["person"] else None,
        "publish": bool(data["publish"]),
        "overwrite": bool(data["overwrite"]),
        "skip_invalid": bool(data["skip_invalid"]),
    }
    return source, options


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
        form = ImportForm()
        form.full_clean()
        context.update(form=form, too_large=too_large_message())
        return TemplateResponse(request, "admin/publications/import.html", context, status=413)
    if posted and "confirm" in request.POST:
        unsigned = _unsign(request, request.POST.get("token", ""))
        if unsigned is None:
            messages.error(request, "This preview has expired or was altered: start again.")
            return redirect("admin:publications_publication_import")
        source, options = unsigned
        try:
            result = import_papers(
                [source], user=request.user, max_records=max_records(), **options
            )
        except DatabaseWriteError as error:
            return _refused(request, context, ImportForm(), error)
        if result.ok:
            messages.success(
                request,
                f"Imported {source.name}: {result.created} created, {result.updated} "
                f"updated, {result.unchanged} unchanged, {result.skipped} skipped, "
                f"{result.failed} failed (import run #{result.run.pk}).",
            )
            return redirect(reverse("admin:publications_importrun_change", args=[result.run.pk]))
        context.update(form=ImportForm(), result=result)
        return TemplateResponse(request, "admin/publications/import.html", context)
    form = ImportForm(request.POST or None, request.FILES or None)
    if posted and form.is_valid():
        source, options = form.source(), form.options()
        try:
            result = import_papers(
                [source], user=request.user, dry_run=True, max_records=max_records(), **options
            )
        except DatabaseWriteError as error:
            return _refused(request, context, form, error)
        context["result"] = result
        if result.ok and (result.created or result.updated):
            context["token"] = _sign(request, source, options)
    context["form"] = form
    return TemplateResponse(request, "admin/publications/import.html", context)


def _refused(request, context, form, error):
    """The database refused the import (read-only, full, unreachable): say so, keep the
    form as it was, and answer 503 (the server's state, not the input, is at fault)."""
    messages.error(request, f"The import could not be saved: {error}.")
    context["form"] = form
    return TemplateResponse(request, "admin/publications/import.html", context, status=503)
