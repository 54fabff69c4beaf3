"""Form helpers shared by every app's views."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import Form

# Decimals the reader's way: a Finnish user types and sees "12,5" ("12.5" is still read). A text field
# with a decimal keypad on phones, since a number input refuses the comma in some browsers.
DECIMAL_INPUT: dict[str, Any] = {"localize": True, "widget": forms.TextInput(attrs={"inputmode": "decimal"})}


def form_add_validation_error(form: Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: field errors on their fields, the rest on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)
