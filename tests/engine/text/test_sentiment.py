from __future__ import annotations

import numpy as np
import pytest

from aspa.engine.text.errors import ModelFileError
from aspa.engine.text.features import afinn_fi, text_keys
from aspa.engine.text.sentiment import LABELS, FeatureSpace, SentimentModel, default_model, sentiment


def test_shipped_model_loads_and_is_small():
    model = default_model()
    assert model.coef_.shape == (model.space.n_features, len(LABELS))
    assert model.space.n_features > 10_000


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Kiitos, olet ihana ja rakastan sinua!", "positive"),
        ("Vihaan tätä, kaikki on kamalaa ja surullista.", "negative"),
    ],
)
def test_obvious_sentences(text, label):
    assert sentiment([text]).labels == (label,)


def test_negation_lowers_polarity():
    scores = sentiment(["Palvelu oli hyvää.", "Palvelu ei ollut hyvää."])
    assert scores.polarity[0] > scores.polarity[1]


def test_probabilities_are_a_distribution_and_deterministic():
    texts = ["Hyvää päivää", "", "Tämä on aivan kamalaa!!!"]
    a, b = sentiment(texts), SentimentModel.load().score(texts)
    np.testing.assert_allclose(a.probabilities.sum(axis=1), 1.0)
    np.testing.assert_array_equal(a.probabilities, b.probabilities)
    assert np.all(np.abs(a.polarity) <= 1.0)


def test_feature_space_matches_training_keys():
    keys = sorted(set(text_keys("En ole tyytyväinen laskuun!")))
    space = FeatureSpace(keys, np.ones(len(keys)))
    assert sorted(set(space.text_ids("En ole tyytyväinen laskuun!"))) == list(range(len(keys)))
    assert "s|~tyytyväin" in keys and "a|-2" in keys


def test_afinn_reaches_inflected_forms_through_stems():
    lexicon = afinn_fi()
    assert lexicon["hyvä"] > 0 and lexicon["@huono"] < 0


def test_save_and_load_round_trip(tmp_path):
    keys = ["w|hyvä", "c| h", "s|hyv"]
    model = SentimentModel(FeatureSpace(keys, np.ones(3)), np.arange(9.0).reshape(3, 3), np.zeros(3))
    model.save(tmp_path / "m.npz")
    loaded = SentimentModel.load(tmp_path / "m.npz")
    np.testing.assert_allclose(loaded.decision_function(["hyvä"]), model.decision_function(["hyvä"]))


def test_missing_model_file_raises(tmp_path):
    with pytest.raises(ModelFileError):
        SentimentModel.load(tmp_path / "missing.npz")
