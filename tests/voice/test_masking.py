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
