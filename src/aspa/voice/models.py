"""Surveys and their answers, free-text feedback, customer stories, themes, ideas and notifications.

Queues are referred to loosely by name (`queue_ref`): voice never depends on wfm's tables, and a
response imported for a queue that was later renamed still counts under the name it arrived with.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aspa.core.models import TenantModel


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    CHAT = "chat", _("Chat")
    EMAIL = "email", _("E-mail")
    WEB = "web", _("Web form")
    SOCIAL = "social", _("Social media")
    VISIT = "visit", _("Visit")
    OTHER = "other", _("Other")


class Source(models.TextChoices):
    LINK = "link", _("Survey link")
    FORM = "form", _("Form")
    API = "api", _("API")
    CSV = "csv", _("CSV import")


class Sentiment(models.TextChoices):
    NEGATIVE = "negative", _("Negative")
    NEUTRAL = "neutral", _("Neutral")
    POSITIVE = "positive", _("Positive")


class SurveyLanguage(models.TextChoices):
    FI = "fi", "Suomi"
    SV = "sv", "Svenska"
    EN = "en", "English"


class Survey(TenantModel):
    """What a customer is asked: any of NPS (0-10), CSAT (1-5), CES (1-7), a free text and own questions."""

    name = models.CharField(_("name"), max_length=120)
    ask_nps = models.BooleanField(_("ask NPS (0-10)"), default=True)
    ask_csat = models.BooleanField(_("ask CSAT (1-5)"), default=True)
    ask_ces = models.BooleanField(_("ask CES (1-7)"), default=False)
    ask_fcr = models.BooleanField(_("ask whether the matter was resolved"), default=False)
    ask_text = models.BooleanField(_("ask for a comment"), default=True)
    questions = models.JSONField(_("own questions"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Attribution(models.Model):
    """Where an answer or a piece of feedback came from: channel, queue, team and (optionally) agent."""

    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, default=Channel.PHONE)
    queue_ref = models.CharField(_("queue"), max_length=120, blank=True)
    team = models.ForeignKey(
        "org.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("team")
    )
    agent = models.ForeignKey(
        "org.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agent"),
    )

    class Meta:
        abstract = True


class SurveyLink(TenantModel, Attribution):
    """A single-use answer link for one contact. Only the SHA-256 of its token is stored."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    contact_ref = models.CharField(_("contact reference"), max_length=120, blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=SurveyLanguage.choices, default=SurveyLanguage.FI
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("survey link")
        verbose_name_plural = _("survey links")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.survey} {self.contact_ref}".strip()


class TextAnalysis(models.Model):
    """Theme and sentiment of a free text, filled by the analysis job (and sentiment on arrival)."""

    theme = models.ForeignKey(
        "voice.Theme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("theme"),
    )
    sentiment = models.CharField(_("sentiment"), max_length=8, choices=Sentiment.choices, blank=True)
    polarity = models.FloatField(null=True, blank=True)
    # A lead may correct the model: `sentiment` then holds the person's label, and re-analysis keeps it;
    # `sentiment_model` always holds what the model said, so the two can be compared on real feedback.
    sentiment_model = models.CharField(
        _("sentiment by the model"), max_length=8, choices=Sentiment.choices, blank=True
    )
    sentiment_corrected_at = models.DateTimeField(null=True, blank=True)
    sentiment_corrected_by = models.ForeignKey(
        "org.Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True


class Response(TenantModel, Attribution, TextAnalysis):
    """One customer's answer to a survey (by link, API or CSV)."""

    survey = models.ForeignKey(
        Survey, on_delete=models.SET_NULL, null=True, blank=True, related_name="responses"
    )
    link = models.OneToOneField(
        SurveyLink, on_delete=models.SET_NULL, null=True, blank=True, related_name="response"
    )
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, default=Source.LINK)
    nps = models.PositiveSmallIntegerField(_("NPS answer"), null=True, blank=True)
    csat = models.PositiveSmallIntegerField(_("CSAT answer"), null=True, blank=True)
    ces = models.PositiveSmallIntegerField(_("CES answer"), null=True, blank=True)
    fcr = models.BooleanField(_("resolved"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    answers = models.JSONField(_("answers to own questions"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=2, blank=True)
    answered_at = models.DateTimeField(_("answered"), default=timezone.now, db_index=True)
    # The sender's own id of the answer: a batch sent again (a retry after a timeout) skips the ones kept.
    external_id = models.CharField(_("your id"), max_length=120, blank=True, default="")

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["-answered_at", "-id"]
        # Pages read one organisation's period, or one theme's newest texts (theme page and examples).
        indexes = [
            models.Index(fields=["organisation", "answered_at"]),
            models.Index(fields=["theme", "answered_at"], name="voice_resp_theme_at"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "external_id"],
                condition=~models.Q(external_id=""),
                name="voice_response_external_id_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.answered_at:%Y-%m-%d} {self.channel}"


class Feedback(TenantModel, Attribution, TextAnalysis):
    """Free-text feedback from any channel."""

    source = models.CharField(_("source"), max_length=8, choices=Source.choices, default=Source.FORM)
    text = models.TextField(_("feedback"))
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    external_id = models.CharField(_("your id"), max_length=120, blank=True, default="")
    created_by = models.ForeignKey(
        "org.Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "received_at"], name="voice_feedback_org_at"),
            models.Index(fields=["theme", "received_at"], name="voice_feedback_theme_at"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "external_id"],
                condition=~models.Q(external_id=""),
                name="voice_feedback_external_id_unique",
            )
        ]

    def __str__(self) -> str:
        # Not the text: the audit log keeps this label, and a customer's words (maybe unmasked) do not
        # belong there.
        return f"{self.received_at:%Y-%m-%d} {self.channel}"


class Story(TenantModel):
    """A customer story written by staff: what happened, what the customer felt, what we learned."""

    title = models.CharField(_("title"), max_length=200)
    happened = models.TextField(_("what happened"))
    felt = models.TextField(_("what the customer felt"))
    learned = models.TextField(_("what we learned"))
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, default=Channel.PHONE)
    team = models.ForeignKey(
        "org.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("team")
    )
    author = models.ForeignKey(
        "org.Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("customer story")
        verbose_name_plural = _("customer stories")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Theme(TenantModel):
    """A theme found in the organisation's texts by the latest analysis (older runs' themes go inactive)."""

    label = models.CharField(_("theme"), max_length=200)
    terms = models.JSONField(default=list)
    size = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["-is_active", "-size", "id"]

    def __str__(self) -> str:
        return self.label


class IdeaStatus(models.TextChoices):
    NEW = "new", _("New")
    UNDER_REVIEW = "review", _("Under review")
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "progress", _("In progress")
    DONE = "done", _("Done")
    DECLINED = "declined", _("Declined")


class IdeaOrigin(models.TextChoices):
    STAFF = "staff", _("Staff")
    CUSTOMER = "customer", _("Customer")


class Idea(TenantModel):
    """A development idea from staff or a customer."""

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("description"), blank=True)
    origin = models.CharField(_("from"), max_length=8, choices=IdeaOrigin.choices, default=IdeaOrigin.STAFF)
    status = models.CharField(_("status"), max_length=8, choices=IdeaStatus.choices, default=IdeaStatus.NEW)
    author = models.ForeignKey(
        "org.Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A customer may leave an address to hear what became of the idea; nothing else about them is kept.
    contact_email = models.EmailField(_("e-mail for updates"), blank=True)
    # Updates go only to an address its owner confirmed (a link in a mail): anyone can type any address.
    contact_email_confirmed_at = models.DateTimeField(null=True, blank=True)
    team = models.ForeignKey(
        "org.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("team")
    )
    created_at = models.DateTimeField(default=timezone.now)
    status_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class IdeaVote(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="votes")
    membership = models.ForeignKey("org.Membership", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["idea", "membership"], name="uniq_voice_vote")]

    def __str__(self) -> str:
        return f"{self.membership_id} → {self.idea_id}"


class IdeaComment(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey("org.Membership", on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]


class Notification(TenantModel):
    """An in-app message to one person (closing the loop on ideas and experiments)."""

    recipient = models.ForeignKey("org.Membership", on_delete=models.CASCADE, related_name="+")
    message = models.CharField(max_length=500)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "-created_at"])]

    def __str__(self) -> str:
        return self.message[:60]
