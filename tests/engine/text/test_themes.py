from __future__ import annotations

import random

import numpy as np
import pytest

from aspa.engine.text.errors import NotFittedError, TextInputError
from aspa.engine.text.themes import NO_THEME, ThemeModel
from tests.engine.text.conftest import BACKENDS

WAITING = [
    "Jonotusaika oli todella pitkä",
    "Jouduin odottamaan jonossa tunnin",
    "Odotusaika puhelimessa liian pitkä",
    "Jono oli pitkä ja odotin kauan",
]
INVOICES = [
    "Lasku oli virheellinen",
    "Laskussa väärä summa",
    "Laskutus meni pieleen, laskut väärin",
    "Sain kaksi laskua samasta tilauksesta",
]
FRIENDLY = [
    "Asiakaspalvelija oli ystävällinen",
    "Ystävällinen ja avulias palvelija",
    "Kiitos ystävällisestä palvelusta",
    "Palvelija oli tosi ystävällinen ja kohtelias",
]


def corpus(seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    texts = [rng.choice(group) for group in (WAITING, INVOICES, FRIENDLY) for _ in range(30)]
    rng.shuffle(texts)
    return texts


@pytest.mark.parametrize("backend", BACKENDS)
def test_finds_planted_themes_and_assigns_new_texts(backend):
    model = ThemeModel(3, backend=backend).fit(corpus())
    labels = " | ".join(t.label for t in model.themes_)
    assigned = model.predict(
        ["Odotin jonossa pitkään", "Laskussa oli virhe", "Ystävällinen palvelija", "qwerty"]
    )
    assert len(set(assigned[:3])) == 3, labels
    assert "lasku" in model.themes_[assigned[1]].label
    assert "ystävällinen" in model.themes_[assigned[2]].label
    assert "pitkä" in model.themes_[assigned[0]].label or "jono" in model.themes_[assigned[0]].label
    assert assigned[3] == NO_THEME


@pytest.mark.parametrize("backend", BACKENDS)
def test_fit_is_deterministic(backend):
    a = ThemeModel(3, backend=backend, seed=3).fit(corpus())
    b = ThemeModel(3, backend=backend, seed=3).fit(corpus())
    assert a.themes_ == b.themes_
    np.testing.assert_array_equal(a.transform(WAITING), b.transform(WAITING))


def test_transform_rows_sum_to_one_or_zero():
    model = ThemeModel(3, backend="snowball").fit(corpus())
    weights = model.transform([*INVOICES, "", "123"])
    assert weights.shape == (6, 3)
    np.testing.assert_allclose(weights.sum(axis=1), [1, 1, 1, 1, 0, 0])


def test_predict_before_fit_raises():
    with pytest.raises(NotFittedError):
        ThemeModel(3).predict(["lasku"])


def test_too_small_corpus_and_bad_n_themes_are_refused():
    with pytest.raises(TextInputError):
        ThemeModel(3, backend="snowball").fit(["ja on", "lasku"])
    with pytest.raises(TextInputError):
        ThemeModel(0, backend="snowball").fit(corpus())
