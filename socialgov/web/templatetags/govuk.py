"""Render Django form controls with GOV.UK Frontend classes and ARIA links."""

from django import forms, template

register = template.Library()

_CONTROL_CLASSES = {
    "text": "govuk-input",
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "file": "govuk-file-upload",
    "checkbox": "govuk-checkboxes__input",
}


@register.filter
def widget_kind(field) -> str:
    """The GOV.UK control family a bound field's widget belongs to."""
    widget = field.field.widget
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.Select) and not isinstance(widget, forms.RadioSelect):
        return "select"
    if isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        return "file"
    return "text"


@register.filter
def govuk_control(field):
    """The field's widget with GOV.UK classes, error state and described-by ids."""
    kind = widget_kind(field)
    css = _CONTROL_CLASSES.get(kind, "")
    if field.errors and kind in {"text", "textarea", "select", "file"}:
        css += f" {css}--error"
    existing = field.field.widget.attrs.get("class", "")
    attrs = {"class": f"{css} {existing}".strip()}
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)
