"""Matching and placement rules of the stub generator."""

from dlqa.ids import make_id
from dlqa.matching import NEAR_MATCH, Known, exact_key, find_exact, find_near
from dlqa.placement import choose_topic, guess_difficulty


def test_exact_key_ignores_case_punctuation_spacing_and_articles():
    assert exact_key("What is a neural network?") == exact_key("what is neural-network")
    assert exact_key("What is dropout?") != exact_key("What is dropout rate?")


def test_exact_and_near_matches_find_the_question_and_its_page():
    known = [Known("What is dropout?", "dropout", "regularisation"), Known("What is a perceptron?", "perceptron", "fundamentals")]
    assert find_exact("WHAT IS DROPOUT", known).question_id == "dropout"
    match = find_near("What is dropouts?", known)
    assert match.known.question_id == "dropout" and match.score >= NEAR_MATCH
    assert find_near("How does attention work?", known) is None


def test_ids_are_short_readable_and_unique():
    taken = {"dropout"}
    assert make_id("What is dropout? How does it work?", taken) == "dropout-2"
    assert make_id("What is the difference between SAME and VALID padding in TensorFlow?", set()) == "difference-between-same-valid-padding"


def test_topic_comes_from_the_question_then_its_section_then_the_default():
    topics = {"cnns": ["cnn", "pooling"], "rnns": ["rnn", "lstm"], "fundamentals": ["perceptron"]}
    assert choose_topic("Why is pooling used?", "Recurrent nets", topics, "fundamentals")[0] == "cnns"
    assert choose_topic("What is a time step?", "RNN", topics, "fundamentals")[0] == "rnns"
    slug, why = choose_topic("What is deep learning?", "Intro", topics, "fundamentals")
    assert slug == "fundamentals" and "close to nothing" in why


def test_difficulty_guess():
    assert guess_difficulty("What is dropout?") == "basic"
    assert guess_difficulty("Describe VGG net in detail for number of layers and parameters involved") == "advanced"
    assert guess_difficulty("How does batch normalization help training deep networks?") == "intermediate"


def test_a_section_that_names_a_page_sends_its_questions_there_in_any_spelling_or_number():
    topics = {
        "optimisation": ["Optimisation and gradient descent", "optimisation", "adam"],
        "generative-models": ["Autoencoders and generative models", "generative models", "gan"],
        "rnns": ["Recurrent neural networks", "rnns", "rnn"],
        "training-practice": ["Hyperparameters and training practice", "training practice", "epoch"],
        "cnns": ["Convolutional neural networks", "cnns", "pooling"],
    }
    for section, slug in [("Optimization", "optimisation"), ("Optimisation", "optimisation"),
                          ("Generative Models", "generative-models"), ("Generative model", "generative-models"),
                          ("Recurrent neural networks", "rnns"), ("Recurrent Neural Network", "rnns"),
                          ("Training Practice", "training-practice")]:
        # The question's own words name another page; the section wins.
        assert choose_topic("Why is pooling used?", section, topics, "cnns")[0] == slug, section


def test_the_first_sentence_or_a_short_paraphrase_of_a_compound_question_is_a_near_match():
    known = [Known("What is Dropout? How does it prevent overfitting in a neural network?", "dropout", "regularisation"),
             Known("What is weight decay, and why does it differ from L2 regularisation under Adam?", "weight-decay", "regularisation"),
             Known("What is a transformer?", "transformer", "attention")]
    assert find_exact("What is dropout?", known) is None
    assert find_near("What is dropout?", known).known.question_id == "dropout"
    adamw = "What is AdamW, and how does decoupled weight decay differ from L2 regularisation in Adam?"
    assert find_near(adamw, known).known.question_id == "weight-decay"
    # Sharing one word with a short question is not enough.
    assert find_near("What is a Vision Transformer (ViT), and how does it turn an image into tokens?", known) is None


def test_questions_without_a_single_term_match_nothing_and_do_not_fail():
    # No known question, and a list whose only question is framing words ("What is it?").
    assert find_near("What is it?", []) is None and find_exact("What is it?", []) is None
    assert find_near("What is it?", [Known("Why?", "why", "fundamentals")]) is None
