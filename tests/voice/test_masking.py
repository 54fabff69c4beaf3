import pytest

from aspa.voice.masking import EMAIL_MASK, HETU_MASK, IBAN_MASK, PHONE_MASK, mask_personal_data


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("soittakaa 040 123 4567 kiitos", f"soittakaa {PHONE_MASK} kiitos"),
        ("numero +358 40 1234567", f"numero {PHONE_MASK}"),
        ("numero 09-123 4567.", f"numero {PHONE_MASK}."),
        ("osoite matti.meikalainen@example.fi.", f"osoite {EMAIL_MASK}."),
        ("hetu 131052-308T ok", f"hetu {HETU_MASK} ok"),
        ("hetu 010101A123N", f"hetu {HETU_MASK}"),
        ("tili FI21 1234 5600 0007 85 kiitos", f"tili {IBAN_MASK} kiitos"),
        ("tili FI2112345600000785", f"tili {IBAN_MASK}"),
    ],
)
def test_masks_personal_data(text, expected):
    assert mask_personal_data(text) == expected


@pytest.mark.parametrize(
    "text",
    ["Jonotin 20 minuuttia.", "Tilausnumero 12345 klo 14.30", "Lasku 2026 oli 45,90 euroa", "NPS 9/10"],
)
def test_leaves_ordinary_numbers_alone(text):
    assert mask_personal_data(text) == text


def test_placeholders_never_become_a_theme(member_of, org):
    from aspa.core.roles import Role
    from aspa.voice import services
    from aspa.voice.masking import without_placeholders
    from aspa.voice.models import Theme

    assert without_placeholders(f"Soittakaa {PHONE_MASK} tai {EMAIL_MASK}.").split() == [
        "Soittakaa",
        "tai",
        ".",
    ]
    texts = [
        "Soittakaa minulle numeroon 040 123 4567, kiitos.",
        "Laskuni on väärin, lähettäkää uusi osoitteeseen maija@example.fi.",
        "Jonotin puhelimessa liian kauan.",
        "Asiakaspalvelija oli ystävällinen.",
        "Laskussa oli virhe, soittakaa 050 765 4321.",
    ]
    rows = [services.FeedbackIn(text=f"{texts[i % len(texts)]} {i}") for i in range(80)]
    services.feedback_create_many(actor=member_of(Role.LEAD), rows=rows)  # masked on the way in
    services.themes_analyse(organisation_id=org.pk)
    words = {term for theme in Theme.objects.filter(organisation=org) for term in theme.terms} | {
        word for theme in Theme.objects.filter(organisation=org) for word in theme.label.split()
    }
    assert words and not words & {"phone", "email", "removed", "iban"}
