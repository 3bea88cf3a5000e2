"""The list parser on the four seed lists and on the formats people paste."""

from pathlib import Path

import pytest

from dlqa.errors import ContentError
from dlqa.lists import clean_question, is_question, parse_list

QUESTIONS = Path(__file__).resolve().parent.parent / "questions"


def parse_seed(prefix: str):
    (path,) = QUESTIONS.glob(f"{prefix}_*.txt")
    return parse_list(path.read_text(encoding="utf-8"), path.name).questions


def texts(questions):
    return [q.text for q in questions]


@pytest.mark.parametrize(
    "prefix, count",
    [("000", 79), ("001", 138), ("002", 191), ("003", 35)],
)
def test_each_seed_list_yields_all_its_questions(prefix, count):
    assert len(parse_seed(prefix)) == count


def test_markdown_bullets_keep_their_section():
    questions = parse_seed("000")
    first = questions[0]
    assert (first.text, first.section, first.line) == ("What is neural network?", "Deep learning", 2)
    assert questions[-1].text == "What is difference between LSTM and Transformer?"


def test_bold_split_copy_is_reassembled_and_cut_offs_dropped():
    found = texts(parse_seed("001"))
    assert "What is a Perceptron? How does it work? What is a multi-layer perceptron?" in found
    assert (
        "What are Deep and Shallow neural networks? What are the advantages and disadvantages "
        "of deep neural networks over shallow neural networks?" in found
    )
    assert (
        "Explain various activation functions like Step (Threshold), Logistic (Sigmoid), Hyperbolic "
        "Tangent (Tanh), and ReLU (Rectified Linear Unit). What are the various advantages and "
        "disadvantages of using these activation functions?" in found
    )
    assert "Explain the terms: Epochs, Batches and Iterations in neural networks." in found
    assert "What is RBM (Restricted Boltzmann machine)? What is the difference between an autoencoder and RBM?" in found
    for cut_off in ("What is a", "What are", "What is", "Explain", "What is the difference between"):
        assert cut_off not in found
    assert not any(text.endswith(("Answer", "YouTube video", ":")) for text in found)
    assert not any("**" in text or "Hint" in text for text in found)


def test_section_names_glued_to_numbers_become_sections():
    by_text = {q.text: q for q in parse_seed("001")}
    assert by_text["What is computer vision? How does deep learning help in solving various computer vision problems?"].section
    assert by_text["Explain TensorFlow architecture."].section == "TensorFlow"


def test_question_headings_win_over_answer_bullets_and_table_of_contents():
    found = texts(parse_seed("003"))
    assert found[0] == "What is deep learning?"
    assert found[-1] == "How can you train hyperparameters in a neural network?"
    assert "Batch size: Indicates the size of the input data." not in found
    assert "What is Data normalization, and why do we need it?" in found  # "Normilization" fixed


def test_word_bullets_and_tab_numbering():
    questions = parse_seed("002")
    by_text = {q.text: q for q in questions}
    assert by_text["Define gradient descent and its variants (stochastic, batch, mini-batch)."].section == "Gradient descent"
    assert by_text["What are the key components of a neural network?"].section == "Basic concepts"
    assert "Neural networks" not in by_text


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("What do you mean by batch size 1000 and epoch 10? How many times do you update the wight matrices?",
         "What do you mean by batch size 1000 and epoch 10? How many times do you update the weight matrices?"),
        ("What are hyperparemeters?", "What are hyperparameters?"),
        ("What Will Happen If the Learning Rate Is Set Too Low or Too High?",
         "What will happen if the learning rate is set too low or too high?"),
        ("What Is a Multi-layer Perceptron(MLP)?", "What is a multi-layer perceptron (MLP)?"),
        ("What is activation function? Why are thy important?", "What is activation function? Why are they important?"),
        ("What is **Dropout**? How does it work? Answer", "What is Dropout? How does it work?"),
    ],
)
def test_display_cleaning(raw, expected):
    assert clean_question(raw) == expected


def test_usual_formats_crlf_and_bom():
    text = (
        "\ufeff## Optimisation\r\n"
        "1) What is momentum?\r\n"
        "2.\tExplain Adam.\r\n"
        "### 3. What is a learning-rate schedule?\r\n"
        "•\tRegularisation:\r\n"
        "o\tWhat is dropout?\r\n"
        "* What is weight decay? [topic: regularisation]\r\n"
    )
    questions = parse_list(text, "pasted.txt").questions
    assert [(q.text, q.line, q.section, q.topic) for q in questions] == [
        ("What is momentum?", 2, "Optimisation", ""),
        ("Explain Adam.", 3, "Optimisation", ""),
        ("What is a learning-rate schedule?", 4, "Optimisation", ""),
        ("What is dropout?", 6, "Regularisation", ""),
        ("What is weight decay?", 7, "Regularisation", "regularisation"),
    ]


def test_a_cut_off_question_with_no_complete_copy_is_an_error_naming_the_line():
    with pytest.raises(ContentError, match=r"cut.txt:2: .*cut off.*'What is a'"):
        parse_list("1. What is dropout?\n2. What is a\n", "cut.txt")


@pytest.mark.parametrize("line", ["Neural Networks Basics:", "[1. What is deep learning?](#1-what-is-deep-learning)", ""])
def test_section_names_and_links_are_not_questions(line):
    assert not is_question(line)


def test_dash_lettered_parenthesised_long_numbered_and_glued_bullets_are_read():
    text = "– What is a en-dash item?\n— What is an em-dash item?\na) What is a lettered item?\n(b) What is another?\n" \
           "(1) What is a parenthesised number?\n1000. What is item one thousand?\n•What is a glued bullet?\n"
    assert texts(parse_list(text, "formats.txt").questions) == [
        "What is a en-dash item?", "What is an em-dash item?", "What is a lettered item?", "What is another?",
        "What is a parenthesised number?", "What is item one thousand?", "What is a glued bullet?",
    ]


def test_lines_that_look_like_questions_but_are_not_items_are_reported_with_their_line():
    parsed = parse_list("## Basics\n- What is dropout?\nWhat is an unbulleted question?\nSome prose line\n", "mixed.txt")
    assert texts(parsed.questions) == ["What is dropout?"]
    assert [(s.line, s.text) for s in parsed.skipped] == [(3, "What is an unbulleted question?")]
