"""Matching and placement rules of the stub generator."""

from tools.matching import choose_topic, exact_key, find_exact, find_near, guess_difficulty, make_id, Known


def test_exact_key_ignores_case_punctuation_spacing_and_articles():
    assert exact_key("What is a neural network?") == exact_key("what is neural-network")
    assert exact_key("What is dropout?") != exact_key("What is dropout rate?")


def test_exact_and_near_matches_find_the_question_and_its_page():
    known = [Known("What is dropout?", "dropout", "regularisation"), Known("What is a perceptron?", "perceptron", "fundamentals")]
    assert find_exact("WHAT IS DROPOUT", known).question_id == "dropout"
    match, score = find_near("What is dropouts?", known)
    assert match.question_id == "dropout" and score >= 88
    assert find_near("How does attention work?", known) is None


def test_ids_are_short_readable_and_unique():
    taken = {"dropout"}
    assert make_id("What is dropout? How does it work?", taken) == "dropout-2"
    assert make_id("What is the difference between SAME and VALID padding in TensorFlow?", set()) == "difference-between-same-valid-padding"


def test_topic_comes_from_the_question_then_its_section_then_the_default():
    topics = {"cnns": ["cnn", "pooling"], "rnns": ["rnn", "lstm"], "fundamentals": ["perceptron"]}
    assert choose_topic("Why is pooling used?", "Recurrent nets", topics, "fundamentals") == "cnns"
    assert choose_topic("What is a time step?", "RNN", topics, "fundamentals") == "rnns"
    assert choose_topic("What is deep learning?", "Intro", topics, "fundamentals") == "fundamentals"


def test_difficulty_guess():
    assert guess_difficulty("What is dropout?") == "basic"
    assert guess_difficulty("Describe VGG net in detail for number of layers and parameters involved") == "advanced"
    assert guess_difficulty("How does batch normalization help training deep networks?") == "intermediate"
