from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import aspa.engine.text
from aspa.engine.text.errors import ModelFileError
from aspa.engine.text.features import META_FEATURES, META_MAX_CHARACTERS, afinn_fi, meta_features, text_keys
from aspa.engine.text.sentiment import LABELS, FeatureSpace, SentimentModel, Stacker, default_model, sentiment
from aspa.engine.text.train import fit_stacker
from aspa.engine.text.vectors import VectorMember, WordVectors, default_vectors

SHIPPED = Path(aspa.engine.text.__file__).with_name("data") / "sentiment_fi.npz"


def test_shipped_model_loads_and_is_small():
    model = default_model()
    assert model.n_members == 3  # two sparse members and the word-vector member
    assert model.coef_.shape == (model.space.n_features, 2 * len(LABELS))
    assert model.vector_member is not None
    assert model.vector_member.coef_.shape == (model.vector_member.vectors.dimensions, len(LABELS))
    assert model.member_weights_.shape == (3,) and np.all(model.member_weights_ > 0)
    assert model.stacker is not None
    assert model.stacker.coef_.shape == (3 * len(LABELS) + len(META_FEATURES), len(LABELS))
    assert model.space.n_features > 10_000
    assert SHIPPED.stat().st_size < 4_000_000


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
    assert "s|en ole" in keys and "w|en ole" in keys


def test_unknown_keys_count_in_the_norm_only():
    space = FeatureSpace(["w|hyvä"], np.ones(1), unseen_idf=1.0)
    rows, cols, values = space.transform(["hyvä", "hyvä kahvi"])
    assert list(rows) == [0, 1] and list(cols) == [0, 0]  # "kahvi", "hyvä kahvi" get no weight
    np.testing.assert_allclose(values, [1.0, 1 / np.sqrt(3)])  # ...but share the w block's norm
    again = FeatureSpace(["w|hyvä"], np.ones(1), unseen_idf=1.0).transform(["hyvä kahvi"])
    np.testing.assert_array_equal(again[2], values[1:])


def test_stem_bigrams_join_inflected_forms():
    assert "s|huono palvelu" in text_keys("Huonoa palvelua!") and "s|huono palvelu" in text_keys(
        "huono palvelu"
    )
    assert "w|huono palvelu" not in text_keys("Huonoa palvelua!")


def _two_member_model(class_bias=None):
    keys = ["w|hyvä", "w|huono"]
    # Member 1 likes "hyvä" for positive; member 2 likes "huono" for negative.
    coef = np.array([[0.0, 0.0, 3.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 3.0, 0.0, 0.0]])
    return SentimentModel(FeatureSpace(keys, np.ones(2)), coef, np.zeros(6), class_bias)


def test_members_probabilities_are_averaged():
    model = _two_member_model()
    p = model.score(["hyvä"]).probabilities[0]
    first = np.exp([0.0, 0.0, 3.0]) / np.exp([0.0, 0.0, 3.0]).sum()
    np.testing.assert_allclose(p, (first + 1 / 3) / 2)


def test_class_bias_reweights_probabilities():
    plain, biased = _two_member_model(), _two_member_model(np.array([0.0, 2.0, 0.0]))
    assert plain.score([""]).labels == ("negative",)  # a tie: the first label
    assert biased.score([""]).labels == ("neutral",)
    np.testing.assert_allclose(biased.score([""]).probabilities.sum(), 1.0)


def test_wrong_shapes_are_rejected(tmp_path):
    keys = ["w|hyvä", "w|huono"]
    bad = SentimentModel(FeatureSpace(keys, np.ones(2)), np.zeros((2, 4)), np.zeros(4))
    bad.save(tmp_path / "bad.npz")
    with pytest.raises(ModelFileError):
        SentimentModel.load(tmp_path / "bad.npz")


def test_afinn_reaches_inflected_forms_through_stems():
    lexicon = afinn_fi()
    assert lexicon["hyvä"] > 0 and lexicon["@huono"] < 0


def test_save_and_load_round_trip(tmp_path):
    keys = ["w|hyvä", "c| h", "s|hyv"]
    model = SentimentModel(
        FeatureSpace(keys, np.ones(3)),
        np.arange(18.0).reshape(3, 6) / 4,
        np.zeros(6),
        np.array([0.1, 0.0, -0.2]),
    )
    model.save(tmp_path / "m.npz")
    loaded = SentimentModel.load(tmp_path / "m.npz")
    np.testing.assert_allclose(
        loaded.decision_function(["hyvä"]), model.decision_function(["hyvä"]), rtol=1e-3
    )
    np.testing.assert_allclose(loaded.class_bias_, model.class_bias_)
    np.testing.assert_allclose(loaded.predict_proba(["hyvä"]), model.predict_proba(["hyvä"]), rtol=1e-3)


def test_missing_model_file_raises(tmp_path):
    with pytest.raises(ModelFileError):
        SentimentModel.load(tmp_path / "missing.npz")


def _model_with_vector_member(weights):
    vectors = WordVectors(np.random.default_rng(5).normal(size=(31, 4)))
    member = VectorMember(vectors, np.zeros((4, 3)), np.array([0.0, 0.0, 4.0]))
    return SentimentModel(
        FeatureSpace(["w|hyvä"], np.ones(1)), np.zeros((1, 3)), np.zeros(3), None, member, weights
    )


def test_member_weights_mix_the_vector_member_in():
    # Sparse member: uniform; vector member: mostly positive. Weights 3:1 for the vector member.
    p = _model_with_vector_member(np.array([1.0, 3.0])).predict_proba(["mikä tahansa"])[0]
    vector = np.exp([0.0, 0.0, 4.0]) / np.exp([0.0, 0.0, 4.0]).sum()
    np.testing.assert_allclose(p, 0.25 / 3 + 0.75 * vector)


def test_vector_member_survives_save_and_load(tmp_path):
    model = _model_with_vector_member(np.array([0.7, 0.3]))
    model.vector_member = VectorMember(
        default_vectors(), np.full((default_vectors().dimensions, 3), 0.01), np.zeros(3)
    )
    model.save(tmp_path / "m.npz")
    loaded = SentimentModel.load(tmp_path / "m.npz")
    assert loaded.vector_member is not None
    np.testing.assert_allclose(loaded.member_weights_, [0.7, 0.3])
    texts = ["hyvä palvelu", "huono"]
    np.testing.assert_allclose(loaded.predict_proba(texts), model.predict_proba(texts), rtol=1e-6)


def test_vector_member_of_the_wrong_width_is_rejected(tmp_path):
    model = _model_with_vector_member(None)  # its 4-dimensional weights do not fit the shipped table
    model.save(tmp_path / "m.npz")
    with pytest.raises(ModelFileError):
        SentimentModel.load(tmp_path / "m.npz")


def _meta(text):
    return dict(zip(META_FEATURES, meta_features(text), strict=True))


def test_meta_features_of_a_text():
    m = _meta("  Olet ihana! Se oli hyvä!  ")
    assert m["characters"] == len("Olet ihana! Se oli hyvä!") and m["tokens"] == 5
    assert m["ends_exclamation"] == 1 and m["ends_question"] == 0 and m["exclamation_marks"] == 2
    assert m["afinn_positive_hits"] == 2 and m["afinn_negative_hits"] == 0
    assert m["afinn_sum"] == afinn_fi()["ihana"] + afinn_fi()["hyvä"]
    assert m["upper_case_share"] == pytest.approx(2 / len("Olet ihana! Se oli hyvä!"))


def test_meta_features_flip_negated_scores_and_cap_length():
    m = _meta("Se ei ollut hyvä...")
    assert m["afinn_positive_hits"] == 0 and m["afinn_min"] == -afinn_fi()["hyvä"]
    assert m["ends_ellipsis"] == 1 and m["ends_period"] == 1
    assert _meta("sana " * 100)["characters"] == META_MAX_CHARACTERS
    assert _meta("")["tokens"] == 0 and _meta("")["upper_case_share"] == 0


def _stacked_model():
    model = _two_member_model()
    coef = np.zeros((2 * len(LABELS) + len(META_FEATURES), len(LABELS)))
    coef[2 * len(LABELS) + META_FEATURES.index("ends_question"), 1] = 5.0  # a question: neutral
    coef[2, 2] = 1.0  # log P(positive) of member 1 -> positive
    model.stacker = Stacker(coef, np.zeros(3))
    return model


def test_stacker_replaces_the_average():
    model = _stacked_model()
    members = model.member_probabilities(["hyvä?"])
    assert members.shape == (1, 2, 3)
    z = np.array([0.0, 5.0, np.log(members[0, 0, 2])])
    np.testing.assert_allclose(model.predict_proba(["hyvä?"])[0], np.exp(z) / np.exp(z).sum())
    assert model.score(["hyvä?"]).labels == ("neutral",)
    assert _two_member_model().score(["hyvä?"]).labels == ("positive",)


def test_stacker_survives_save_and_load(tmp_path):
    model = _stacked_model()
    model.save(tmp_path / "m.npz")
    loaded = SentimentModel.load(tmp_path / "m.npz")
    assert loaded.stacker is not None
    texts = ["hyvä?", "huono", "hyvä huono!"]
    np.testing.assert_allclose(loaded.predict_proba(texts), model.predict_proba(texts), rtol=1e-3)


def test_stacker_of_the_wrong_width_is_rejected(tmp_path):
    model = _two_member_model()
    model.stacker = Stacker(np.zeros((5, 3)), np.zeros(3))
    model.save(tmp_path / "m.npz")
    with pytest.raises(ModelFileError):
        SentimentModel.load(tmp_path / "m.npz")


def test_fit_stacker_learns_from_its_inputs():
    rng = np.random.default_rng(3)
    y = rng.integers(0, 3, size=600)
    inputs = rng.normal(size=(600, 4)) * 10 + 50  # standardisation is folded into the weights
    inputs[:, 1] += 30 * y
    stacker = fit_stacker(inputs, y, 1.0)
    z = inputs @ stacker.coef_ + stacker.intercept_
    assert (z.argmax(axis=1) == y).mean() > 0.9
