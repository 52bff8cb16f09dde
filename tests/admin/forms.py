"""Turn a rendered admin change page into the POST data its form would submit."""

from core.admin.widgets import PairsWidget


def _value(bound_field):
    value = bound_field.value()
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    if isinstance(value, bool):
        return "on" if value else ""
    return str(value)


def _add_form(data, form):
    for name in form.fields:
        if isinstance(form.fields[name].widget, PairsWidget):  # one input per cell
            rows = form.fields[name].widget.format_value(form[name].value())
            data[form.add_prefix(name) + "_key"] = [key for key, _ in rows]
            data[form.add_prefix(name) + "_value"] = [value for _, value in rows]
            continue
        value = _value(form[name])
        if value in ("", []) and getattr(form.fields[name].widget, "input_type", "") == "checkbox":
            continue
        data[form.add_prefix(name)] = value
        if form.fields[name].show_hidden_initial:  # as the browser sends it back
            data[form.add_initial_prefix(name)] = value


def change_form_data(response, **changes):
    """All fields of the admin form and its inlines as currently shown, then ``changes``."""
    data = {}
    _add_form(data, response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = _value(management[name])
        for form in formset.forms:
            _add_form(data, form)
    data = {k: v for k, v in data.items() if v != ""}
    data.update(changes)
    return data
