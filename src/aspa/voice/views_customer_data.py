"""The administrator's page for a customer's own data request: find, export as JSON, erase.

Everything goes by POST, so the customer's e-mail address or phone number never lands in a URL, the
browser history or an access log.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from aspa.core.forms import form_add_validation_error
from aspa.core.http import AspaRequest
from aspa.core.roles import Capability
from aspa.core.views_base import member_required
from aspa.voice import customer_data as service

ERR_CONFIRM = gettext_noop("Tick the box to confirm the erasure.")


class CustomerDataForm(forms.Form):
    identifier = forms.CharField(
        label=gettext_lazy("The customer's e-mail address, phone number or contact reference"),
        max_length=service.MAX_IDENTIFIER,
        help_text=gettext_lazy(
            "Exactly as the customer gave it. Phone numbers are also searched without spaces and with "
            "+358 or 0 at the start."
        ),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("I have checked the list: erase this customer's data"), required=False
    )

    def clean_identifier(self) -> str:
        return service.clean_identifier(self.cleaned_data["identifier"])


@sensitive_post_parameters("identifier")
@require_http_methods(["GET", "POST"])
@member_required(Capability.ERASE_PERSON)
def customer_data(request: AspaRequest) -> HttpResponse:
    actor = request.membership
    form = CustomerDataForm(request.POST or None)
    found = None
    if request.method == "POST" and form.is_valid():
        identifier = form.cleaned_data["identifier"]
        action = request.POST.get("action", "find")
        try:
            if action == "erase" and form.cleaned_data["confirm"]:
                counts = service.customer_data_erase(actor=actor, identifier=identifier)
                messages.success(
                    request,
                    _("The customer's data was erased from %(count)s items.")
                    % {"count": sum(counts.values())},
                )
                return redirect("voice:customer_data")
            if action == "erase":
                form.add_error("confirm", _(ERR_CONFIRM))
            found = service.customer_data_find(actor=actor, identifier=identifier)
            if action == "export":
                body = json.dumps(service.customer_data_export(found), ensure_ascii=False, indent=2)
                response = HttpResponse(body, content_type="application/json; charset=utf-8")
                stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
                response["Content-Disposition"] = f'attachment; filename="customer-data-{stamp}.json"'
                return response
        except ValidationError as exc:
            form_add_validation_error(form, exc)
    return render(request, "voice/customer_data.html", {"form": form, "found": found})
