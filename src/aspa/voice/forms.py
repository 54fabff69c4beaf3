"""Forms of the voice pages: they only validate shapes; the services check the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from aspa.core.uploads import upload_too_large, upload_too_large_message
from aspa.voice.models import Channel, IdeaStatus, Survey, SurveyLanguage


def _scale(low: int, high: int) -> list[tuple[str, str]]:
    return [(str(i), str(i)) for i in range(low, high + 1)]


class SurveyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    ask_nps = forms.BooleanField(
        label=_("Ask NPS: how likely to recommend (0-10)"), required=False, initial=True
    )
    ask_csat = forms.BooleanField(label=_("Ask CSAT: how satisfied (1-5)"), required=False, initial=True)
    ask_ces = forms.BooleanField(label=_("Ask CES: how easy (1-7)"), required=False)
    ask_fcr = forms.BooleanField(label=_("Ask whether the matter was resolved"), required=False)
    ask_text = forms.BooleanField(label=_("Ask for a free comment"), required=False, initial=True)
    questions = forms.CharField(
        label=_("Own questions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One question per line; customers answer them in their own words."),
    )

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["questions"] = data["questions"].splitlines()
        return data


class LinkForm(forms.Form):
    contact_ref = forms.CharField(label=_("Contact reference"), max_length=120, required=False)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    queue_ref = forms.CharField(label=_("Queue"), max_length=120, required=False)
    team = forms.CharField(label=_("Team"), max_length=120, required=False)
    agent = forms.EmailField(label=_("Agent's e-mail"), required=False)
    language = forms.ChoiceField(label=_("Language of the survey"), choices=SurveyLanguage.choices)


class CsvForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))

    def clean_file(self) -> UploadedFile:
        # The importers read the whole file into memory: refuse a huge one before that (Django has put it
        # in a temporary file; DATA_UPLOAD_MAX_MEMORY_SIZE does not cover files).
        file: UploadedFile = self.cleaned_data["file"]
        if upload_too_large(file.size or 0):
            raise forms.ValidationError(upload_too_large_message(), code="too_large")
        return file


class AnswerForm(forms.Form):
    """The customer's answer; fields follow the survey's questions. Labels come from the template."""

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.survey = survey
        radio = forms.RadioSelect
        if survey.ask_nps:
            self.fields["nps"] = forms.TypedChoiceField(
                label=_("How likely are you to recommend us to a friend or colleague?"),
                choices=_scale(0, 10),
                coerce=int,
                required=False,
                widget=radio,
            )
        if survey.ask_csat:
            self.fields["csat"] = forms.TypedChoiceField(
                label=_("How satisfied were you with the service?"),
                choices=_scale(1, 5),
                coerce=int,
                required=False,
                widget=radio,
            )
        if survey.ask_ces:
            self.fields["ces"] = forms.TypedChoiceField(
                label=_("How easy was it to get your matter handled?"),
                choices=_scale(1, 7),
                coerce=int,
                required=False,
                widget=radio,
            )
        if survey.ask_fcr:
            self.fields["fcr"] = forms.TypedChoiceField(
                label=_("Was your matter resolved?"),
                choices=[("yes", _("Yes")), ("no", _("No"))],
                coerce=lambda v: v == "yes",
                required=False,
                widget=radio,
                empty_value=None,
            )
        if survey.ask_text:
            self.fields["comment"] = forms.CharField(
                label=_("What would you like to tell us?"),
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
        for i, question in enumerate(survey.questions):
            self.fields[f"q{i}"] = forms.CharField(
                label=question, required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
            )

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "nps": data.get("nps") if data.get("nps") != "" else None,
            "csat": data.get("csat") if data.get("csat") != "" else None,
            "ces": data.get("ces") if data.get("ces") != "" else None,
            "fcr": data.get("fcr"),
            "comment": data.get("comment", ""),
            "answers": {q: data.get(f"q{i}", "") for i, q in enumerate(self.survey.questions)},
        }


class _MaskChoice(forms.Form):
    """A form with a `mask` switch that only leads and up see: others' texts are always masked."""

    def __init__(self, *args: Any, can_unmask: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not can_unmask:
            del self.fields["mask"]


class FeedbackForm(_MaskChoice):
    text = forms.CharField(label=_("Feedback"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    queue_ref = forms.CharField(label=_("Queue"), max_length=120, required=False)
    team = forms.CharField(label=_("Team"), max_length=120, required=False)
    mask = forms.BooleanField(
        label=_("Mask personal data (e-mail, phone, henkilötunnus, IBAN)"), required=False, initial=True
    )


class StoryForm(_MaskChoice):
    title = forms.CharField(label=_("Title"), max_length=200)
    happened = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4}))
    felt = forms.CharField(label=_("What the customer felt"), widget=forms.Textarea(attrs={"rows": 3}))
    learned = forms.CharField(label=_("What we learned"), widget=forms.Textarea(attrs={"rows": 3}))
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    mask = forms.BooleanField(label=_("Mask personal data"), required=False, initial=True)


class IdeaForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    # As long as the services keep (MAX_TEXT): a longer text was cut silently, the customer never told.
    body = forms.CharField(
        label=_("Description"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class PublicIdeaForm(IdeaForm):
    email = forms.EmailField(
        label=_("Your e-mail (optional)"),
        required=False,
        help_text=_("Only to tell you what became of the idea."),
    )


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=IdeaStatus.choices)
