"""Form fields for the JSON lists and mappings editors fill in, so nobody types JSON.

* ``TagListField``: a list of short strings (keywords, arXiv categories) as one
  comma-separated text input. It works as it is; ``static/js/admin.js`` (which the admin's
  ``base_site.html`` loads) turns it into chips with JavaScript on. An item holding a
  comma is written in double quotes, so every list reads back exactly as it was stored.
* ``PairsField``: a mapping (citations per year, external identifiers) as a small table
  of key and value inputs, a few empty rows below the filled ones; emptying both cells
  of a row removes it. With errors the table shows exactly what was typed.
"""

import csv

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join


def split_tags(text: str) -> list[str]:
    """``a, "b, c", d`` → ``["a", "b, c", "d"]``: stripped, empty items and repeats
    dropped, order kept."""
    items = []
    for row in csv.reader([text.replace("\r", " ").replace("\n", " ")], skipinitialspace=True):
        for item in row:
            item = item.strip()
            if item and item not in items:
                items.append(item)
    return items


def join_tags(items) -> str:
    """The text ``split_tags`` reads back as ``items``."""
    return ", ".join(
        f'"{item.replace(chr(34), chr(34) * 2)}"' if "," in item or item.startswith('"') else item
        for item in items
    )


class TagInput(forms.TextInput):
    """A comma-separated text input; with JavaScript, chips (``static/js/admin.js``)."""

    def __init__(self, attrs=None):
        super().__init__({"class": "vTextField tag-input", "data-tags": "", **(attrs or {})})


class TagListField(forms.Field):
    """A list of strings, typed comma-separated."""

    widget = TagInput

    def __init__(self, **kwargs):
        help_text = kwargs.pop("help_text", "")
        kwargs["help_text"] = " ".join(filter(None, ["Separate them with commas.", help_text]))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)):
            return join_tags(str(item) for item in value)
        return value  # what was typed, shown again as it is

    def to_python(self, value):
        if value in self.empty_values:
            return []
        if isinstance(value, (list, tuple)):
            return [str(item) for item in value]
        return split_tags(str(value))

    def has_changed(self, initial, data):
        return self.to_python(initial) != self.to_python(data)


class PairsWidget(forms.Widget):
    """Rows of two inputs named ``<name>_key`` and ``<name>_value``; the browser sends each
    column as a list, in row order."""

    extra_rows = 3

    def __init__(self, *, key_label, value_label, key_attrs=None, value_attrs=None, attrs=None):
        super().__init__(attrs)
        self.key_label, self.value_label = key_label, value_label
        self.key_attrs = key_attrs or {"type": "text"}
        self.value_attrs = value_attrs or {"type": "text"}

    def format_value(self, value):
        if isinstance(value, dict):
            return [(str(key), str(item)) for key, item in sorted(value.items())]
        return [(str(key or ""), str(item or "")) for key, item in value or ()]

    def value_from_datadict(self, data, files, name):
        if self.value_omitted_from_data(data, files, name):
            return None
        keys, values = data.getlist(f"{name}_key"), data.getlist(f"{name}_value")
        size = max(len(keys), len(values))
        keys += [""] * (size - len(keys))
        values += [""] * (size - len(values))
        return list(zip(keys, values, strict=True))

    def value_omitted_from_data(self, data, files, name):
        return f"{name}_key" not in data and f"{name}_value" not in data

    def _input(self, name, value, attrs, label, row):
        attrs = {**attrs, "name": name, "value": value, "aria-label": f"{label}, row {row}"}
        return format_html("<input{}>", flatatt(attrs))

    def render(self, name, value, attrs=None, renderer=None):
        rows = self.format_value(value)
        rows += [("", "")] * self.extra_rows
        body = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td></tr>",
            (
                (
                    self._input(f"{name}_key", key, self.key_attrs, self.key_label, number),
                    self._input(f"{name}_value", item, self.value_attrs, self.value_label, number),
                )
                for number, (key, item) in enumerate(rows, start=1)
            ),
        )
        element_id = (attrs or {}).get("id") or self.attrs.get("id") or f"id_{name}"
        return format_html(
            '<table class="pairs-table" id="{}" data-pairs="{}"><thead><tr>'
            '<th scope="col">{}</th><th scope="col">{}</th></tr></thead>'
            "<tbody>{}</tbody></table>",
            element_id,
            name,
            self.key_label,
            self.value_label,
            body,
        )

    def id_for_label(self, id_):
        return None  # a table of inputs, each with its own aria-label


class PairsField(forms.Field):
    """A mapping typed as rows: ``key_field`` and ``value_field`` clean each cell. The
    cleaned value is a dict sorted by key."""

    def __init__(self, *, key_field, value_field, key_label, value_label, **kwargs):
        self.key_field, self.value_field = key_field, value_field
        self.key_label, self.value_label = key_label, value_label
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", PairsWidget(key_label=key_label, value_label=value_label))
        help_text = kwargs.pop("help_text", "")
        kwargs["help_text"] = " ".join(
            filter(None, [help_text, "Empty both cells of a row to remove it."])
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return value  # a dict (initial) or the typed rows, as they are

    def bound_data(self, data, initial):
        return initial if data is None else data  # not sent: shown as it was

    def to_python(self, value):
        if value in self.empty_values:
            return {}
        if isinstance(value, dict):
            return dict(sorted(value.items()))
        cleaned, problems = {}, []
        for number, (raw_key, raw_value) in enumerate(value, start=1):
            raw_key, raw_value = str(raw_key).strip(), str(raw_value).strip()
            if not raw_key and not raw_value:
                continue
            if not raw_key or not raw_value:
                missing = self.key_label if not raw_key else self.value_label
                problems.append(f"Row {number}: give the {missing.lower()} too.")
                continue
            try:
                key = self.key_field.clean(raw_key)
                item = self.value_field.clean(raw_value)
            except ValidationError as error:
                problems.append(f"Row {number} ({raw_key}): {' '.join(error.messages)}")
                continue
            if key in cleaned:
                problems.append(f"Row {number}: {raw_key} is there twice.")
                continue
            cleaned[key] = item
        if problems:
            raise ValidationError(problems)
        return dict(sorted(cleaned.items()))

    def has_changed(self, initial, data):
        if data is None:
            return False  # not in the form that was sent: left as it is
        try:
            return self.to_python(initial or {}) != self.to_python(data)
        except ValidationError:
            return True
