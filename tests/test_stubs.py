"""The stub generator: placement, matching, idempotence, and bad input."""

import difflib
import os
import re
import shutil
import stat
from pathlib import Path

import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dlqa import cli, stubs
from dlqa.html_safety import unsafe_html
from dlqa.lists import parse_list
from dlqa.matching import exact_key
from dlqa.page import NewQuestion, parse_page, plain_text, render_question

ROOT = Path(__file__).resolve().parent.parent
LISTS = sorted(path for path in (ROOT / "questions").iterdir() if path.suffix in (".txt", ".md"))
TOPICS = ROOT / "docs" / "topics"

PAGE_HEAD = "---\ntitle: {title}\ntopic_keywords: [{keywords}]\n---\n\n# {title}\n\nIntro.\n"


@pytest.fixture
def site(tmp_path):
    """A tiny set of topic pages: one answered question, one stub."""
    topics = tmp_path / "topics"
    topics.mkdir()
    (topics / "fundamentals.md").write_text(
        PAGE_HEAD.format(title="Fundamentals", keywords="perceptron")
        + "\n## What is a perceptron? { #perceptron }\n\n<!-- question difficulty=basic lists=000 -->\n\n"
        "A linear classifier with a step activation.\n"
    )
    (topics / "regularisation.md").write_text(
        PAGE_HEAD.format(title="Regularisation", keywords="dropout, overfitting")
        + "\n## What is dropout? { #dropout }\n\n<!-- question difficulty=basic lists=000 -->\n\n"
        "*Also asked as:*\n\n- Where can I dropout of CNN?\n\nDropout zeroes activations at random.\n"
    )
    return topics


def run(topics: Path, *args) -> int:
    return cli.main(["stubs", "--topics-dir", str(topics), *map(str, args)])


def snapshot(topics: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted(topics.glob("*"))}


def write_list(tmp_path, text, name="list.txt"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_new_questions_become_stubs_on_the_page_their_words_name(site, tmp_path, capsys):
    listing = write_list(tmp_path, "## Training\n- What causes overfitting?\n- How does a perceptron learn?\n")
    assert run(site, listing) == 0
    regularisation = parse_page((site / "regularisation.md").read_text(), "r")
    added = regularisation.questions[-1]
    assert (added.title, added.stub, added.lists, added.difficulty) == ("What causes overfitting?", True, ["list"], "intermediate")
    fundamentals = parse_page((site / "fundamentals.md").read_text(), "f")
    assert fundamentals.questions[-1].title == "How does a perceptron learn?"
    assert "added: #causes-overfitting to regularisation.md" in capsys.readouterr().out


def test_exact_matches_add_nothing_and_a_second_run_changes_nothing(site, tmp_path):
    listing = write_list(tmp_path, "- WHAT IS DROPOUT\n- where can i dropout of a cnn?\n- What is an activation function?\n")
    assert run(site, listing) == 0
    after_first = snapshot(site)
    assert run(site, listing) == 0
    assert snapshot(site) == after_first
    assert after_first["fundamentals.md"].count("## ") == 2  # only the activation question was new


def test_near_match_is_reported_and_not_added(site, tmp_path, capsys):
    before = snapshot(site)
    listing = write_list(tmp_path, "- What is the dropout?\n- What is dropouts?\n")
    assert run(site, listing) == 0
    out = capsys.readouterr().out
    assert "looks like #dropout on regularisation.md" in out and "list.txt:2" in out
    assert snapshot(site) == before


def test_merge_adds_a_phrasing_and_force_adds_a_question(site, tmp_path):
    listing = write_list(tmp_path, "- What is dropouts?\n")
    assert run(site, "--merge", listing) == 0
    dropout = parse_page((site / "regularisation.md").read_text(), "r").questions[0]
    assert dropout.phrasings == ["Where can I dropout of CNN?", "What is dropouts?"]
    assert dropout.lists == ["000", "list"]  # the merged list's label joins the question's, as `qa move --into` does
    assert dropout.answer == "Dropout zeroes activations at random."
    other = write_list(tmp_path, "- What is dropout rate?\n", "other.txt")
    assert run(site, "--force", other) == 0
    assert parse_page((site / "regularisation.md").read_text(), "r").questions[-1].title == "What is dropout rate?"


def test_topic_tag_and_option_override_placement(site, tmp_path):
    listing = write_list(tmp_path, "- What is overfitting in a perceptron? [topic: fundamentals]\n")
    assert run(site, listing) == 0
    assert "overfitting in a perceptron" in (site / "fundamentals.md").read_text()
    other = write_list(tmp_path, "- What is a perceptron's margin?\n", "other.txt")
    assert run(site, "--topic", "regularisation", other) == 0
    assert "margin" in (site / "regularisation.md").read_text()


def test_dry_run_prints_the_plan_and_writes_nothing(site, tmp_path, capsys):
    before = snapshot(site)
    listing = write_list(tmp_path, "- What causes overfitting?\n")
    assert run(site, "--dry-run", listing) == 0
    assert "would add: #causes-overfitting to regularisation.md" in capsys.readouterr().out
    assert snapshot(site) == before


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "list.txt: no such file"),
        (b"", "list.txt: file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "list.txt: looks like a binary file"),
        (b"- What is dropout?\n- Caf\xe9?\n", "list.txt:2: not valid UTF-8"),
        (b"Just some prose about nothing in particular, with no question.\n", "list.txt: no question found"),
        (b"1. What is dropout?\n2. What is a\n", "list.txt:2: question looks cut off"),
        (b"- What is it? [topic: nowhere]\n", "list.txt:1: unknown topic 'nowhere'"),
        (b"- What is dropout?\n- What is " + b"very " * 120 + b"long?\n", "list.txt:2: item is 613 characters long (at most 500)"),
    ],
)
def test_bad_lists_fail_with_the_file_and_line_and_write_nothing(site, tmp_path, capsys, content, message):
    path = tmp_path / "list.txt"
    if content is not None:
        path.write_bytes(content)
    good = write_list(tmp_path, "- What causes overfitting?\n", "good.txt")
    before = snapshot(site)
    assert run(site, good, path) == 2
    assert message in capsys.readouterr().err
    assert snapshot(site) == before


@pytest.mark.parametrize(
    "page_text, message",
    [
        ("# T\n\n## What is dropout?\n\nNo id.\n", "broken.md:3: a level-2 heading must be a question with an explicit id"),
        ("# T\n\n## A? { #a }\n\n## B? { #a }\n", "broken.md:5: duplicate id #a"),
        ("# T\n\n## A? { #a }\n\n<!-- question difficulty=easy lists=0 -->\n", "broken.md:5: #a: difficulty must be one of"),
        ("# T\n\n## A? { #perceptron }\n", "id #perceptron is already used at"),
    ],
)
def test_unparseable_pages_fail_with_the_file_and_line_and_write_nothing(site, tmp_path, capsys, page_text, message):
    (site / "broken.md").write_text(page_text)
    before = snapshot(site)
    assert run(site, write_list(tmp_path, "- What causes overfitting?\n")) == 2
    assert message in capsys.readouterr().err
    assert snapshot(site) == before


def test_every_list_question_is_on_the_real_pages():
    """Idempotence on the real pages: every listed question is already a question or a phrasing."""
    pages = stubs.pages_by_slug(TOPICS)
    lists = [(stubs.list_name(p), str(p), stubs.read_list(p).questions) for p in LISTS]
    plan = stubs.plan_stubs(lists, pages)
    assert plan.added == {} and plan.merged == [] and plan.near == []
    assert plan.duplicates == sum(len(questions) for _, _, questions in lists)


def test_the_questions_of_issue_24_are_known_or_go_where_a_reader_would_look(tmp_path, capsys):
    """On the real pages: answered questions asked in everyday words are reported as near matches
    (not added beside their question); new ones go to the page of their subject, and --explain says why."""
    listing = write_list(tmp_path, "## Misc\n\n" + "\n".join(f"- {q}" for q in [
        "What is the GRU cell?", "What is RLHF?", "Explain the U-Net architecture.", "What is BPE tokenization?",
        "What is weight decay (L2 regularisation)?", "What is drop out and how does it prevent overfitting?",
        "Explain the skip-gram model", "What is curriculum learning?", "What is mixup augmentation?"]), "issue24.md")
    assert run(TOPICS, "--dry-run", "--explain", listing) == 0
    out = capsys.readouterr().out
    near = dict(re.findall(r"^near match: \S+:\d+: '(.*)' looks like #(\S+) on", out, re.M))
    assert near == {"What is the GRU cell?": "gru", "What is RLHF?": "rlhf", "Explain the U-Net architecture.": "u-net",
                    "What is BPE tokenization?": "byte-pair-encoding", "What is weight decay (L2 regularisation)?": "weight-decay",
                    "What is dropout and how does it prevent overfitting?": "dropout"}
    added = dict(re.findall(r"^would add: #\S+ to (\S+)\.md: (.*)$", out, re.M))
    assert added == {"nlp": "Explain the skip-gram model", "training-practice": "What is curriculum learning?",
                     "regularisation": "What is mixup augmentation?"}
    explained = re.findall(r"^explain: .*'What is mixup augmentation\?': new .* to regularisation\.md, (.*)$", out, re.M)
    assert explained and "nearest questions are there: #" in explained[0]


def test_running_on_every_list_changes_no_real_page(tmp_path):
    topics = tmp_path / "topics"
    shutil.copytree(TOPICS, topics)
    before = snapshot(topics)
    assert run(topics, *LISTS) == 0
    assert snapshot(topics) == before


# --- Property: generating stubs never alters existing text -------------------------------

words = st.sampled_from("dropout weight decay momentum kernel stride attention encoder gradient tensor bias".split())
question_text = st.lists(words, min_size=1, max_size=6).map(lambda ws: "What is " + " ".join(ws) + "?")
prose = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\r\x00#<>`-*", exclude_categories=("Cs", "Cc")), max_size=80)


@st.composite
def page_texts(draw):
    head = PAGE_HEAD.format(title="T", keywords=", ".join(draw(st.lists(words, max_size=3))))
    blocks = []
    for index, title in enumerate(draw(st.lists(question_text, max_size=4, unique=True))):
        block = render_question(NewQuestion(f"q{index}", title, "basic", ("x",), tuple(draw(st.lists(question_text, max_size=2)))))
        if draw(st.booleans()):
            block = block.replace("<!-- unanswered -->", draw(prose).strip() or "An answer.")
        blocks.append(block)
    return head + draw(prose) + "\n\n" + "\n".join(blocks)


def random_pages(tmp_path_factory, pages: list[str]) -> dict:
    """The generated page texts written to a fresh topics folder (ids made unique site-wide), parsed."""
    topics = tmp_path_factory.mktemp("topics")
    for index, text in enumerate(pages):
        (topics / f"page{index}.md").write_text(text.replace("{ #q", f"{{ #p{index}q"))
    return stubs.pages_by_slug(topics)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pages=st.lists(page_texts(), min_size=1, max_size=3), listed=st.lists(question_text, min_size=1, max_size=8),
       mode=st.sampled_from(["report", "merge", "force"]))
def test_generating_stubs_never_alters_existing_text(tmp_path_factory, pages, listed, mode):
    parsed = random_pages(tmp_path_factory, pages)
    questions = parse_list("\n".join(f"- {q}" for q in listed), "random.txt").questions
    plan = stubs.plan_stubs([("random", "random.txt", questions)], parsed, mode)
    for slug, new_text in stubs.apply_plan(plan, parsed).items():
        reparsed = {q.id: q for q in parse_page(new_text, slug).questions}
        # A merge adds the list label to the metadata line; every other line stays as it was.
        metas = {q.meta_line: reparsed[q.id] for q in parsed[slug].questions if q.meta_line}
        old_lines = [f"<!-- question difficulty={metas[i].difficulty} lists={','.join(metas[i].lists)} -->" if i in metas
                     else line for i, line in enumerate(parsed[slug].text.split("\n"))]
        new_lines = iter(new_text.split("\n"))
        assert all(line in new_lines for line in old_lines), "an existing line was changed or removed"
        for question in parsed[slug].questions:
            assert reparsed[question.id].answer == question.answer
            assert reparsed[question.id].phrasings[: len(question.phrasings)] == question.phrasings
            assert reparsed[question.id].lists[: len(question.lists)] == question.lists


def test_no_phrasing_is_claimed_by_two_questions():
    """Each question of the lists lives on exactly one page, under exactly one heading."""
    owners = {}
    for page in stubs.pages_by_slug(TOPICS).values():
        for question in page.questions:
            for phrasing in {exact_key(p) for p in [question.title, *question.phrasings]}:
                assert phrasing not in owners, f"{phrasing!r} is on #{owners[phrasing]} and #{question.id}"
                owners[phrasing] = question.id


def test_questions_in_other_scripts_each_get_their_own_key_and_id(site, tmp_path, capsys):
    listing = write_list(tmp_path, "- 什么是神经网络？\n- 什么是卷积？\n- Что такое нейронная сеть?\n- ما هي الشبكة العصبية؟\n", "intl.md")
    assert run(site, listing) == 0
    added = parse_page((site / "fundamentals.md").read_text(), "f").questions[1:]
    assert [q.title for q in added] == ["什么是神经网络？", "什么是卷积？", "Что такое нейронная сеть?", "ما هي الشبكة العصبية؟"]
    assert len({q.id for q in added}) == 4 and all(q.id.startswith("q-") for q in added)
    assert run(site, listing) == 0 and "0 new" in capsys.readouterr().out  # idempotent


def test_skipped_lines_are_listed_with_file_and_line(site, tmp_path, capsys):
    listing = write_list(tmp_path, "- What is momentum?\nWhat is an unbulleted question?\n")
    assert run(site, listing, "--dry-run") == 0
    assert f"skipped: {listing}:2: not a list item" in capsys.readouterr().out


@pytest.mark.parametrize("make, message", [
    (lambda p: p.mkdir(), "is a directory"),
    (lambda p: p.write_bytes("- What is dropout?\n".encode("utf-16")), "UTF-16"),
    (lambda p: p.write_bytes("- What is dropout?\n".encode("utf-16-le")), "UTF-16"),
])
def test_a_directory_or_a_utf16_list_gets_a_message_that_says_so(site, tmp_path, capsys, make, message):
    path = tmp_path / "list.txt"
    make(path)
    before = snapshot(site)
    assert run(site, path) == 2
    assert message in capsys.readouterr().err and snapshot(site) == before


def test_a_long_list_reports_progress_and_every_question_is_placed(site, tmp_path, capsys):
    def token(n: int) -> str:  # 17,576 distinct made-up words ("q" + three letters: never a stopword)
        return "q" + "".join(chr(97 + n // 26**k % 26) for k in range(3))

    listing = write_list(tmp_path, "".join(f"- What is {token(n)} {token(n * 7919 % 17576)}?\n" for n in range(4100)))
    assert run(site, listing, "--dry-run") == 0
    captured = capsys.readouterr()
    assert "matched 2,000 of 4,100 questions" in captured.err and "matched 4,000 of 4,100" in captured.err
    assert "4100 new" in captured.out


# --- Safety: list text cannot inject markup, pages edited meanwhile are not overwritten -----

INJECTIONS = [
    "What is <script>alert(1)</script>?",
    "What is { #evil } dropout?",
    "What is <img src=x onerror=alert(1)> pooling?",
    "Why use attention {: onclick=alert(1) }?",
    "What is <!-- hidden words --> momentum?",
    "What does &lt;b&gt; mean in a tokenizer?",
]


def render_html(text: str) -> str:
    return markdown.markdown(text.split("---\n", 2)[2], extensions=["attr_list", "toc", "md_in_html"])


def test_list_text_is_shown_literally_in_headings_and_cannot_set_an_id(site, tmp_path, capsys):
    listing = write_list(tmp_path, "".join(f"- {question}\n" for question in INJECTIONS))
    assert run(site, "--force", "--topic", "fundamentals", listing) == 0
    text = (site / "fundamentals.md").read_text()
    added = parse_page(text, "f").questions[1:]
    assert [plain_text(q.title) for q in added] == INJECTIONS  # verbatim for readers and for matching
    assert [q.id for q in added] == ["script-alert-1-script", "evil-dropout", "img-src-x-onerror-alert", "attention-onclick-alert-1",
                                     "hidden-words-momentum", "lt-b-gt-tokenizer"]  # readable, unique, from the words
    assert all("<" not in q.title and "{" not in q.title for q in added)
    assert "## What is &lt;script&gt;alert(1)&lt;/script&gt;? { #script-alert-1-script }" in text
    html = render_html(text)
    assert unsafe_html(html) == [] and re.findall(r'<h2 id="([^"]+)"', html)[1:] == [q.id for q in added]
    assert "What is &lt;!-- hidden words --&gt; momentum?" in html and "&amp;lt;b&amp;gt;" in html  # shown, not hidden
    assert run(site, "--force", listing) == 0 and "0 new, 0 merged" in capsys.readouterr().out  # idempotent


def test_merged_phrasings_are_escaped_too(site, tmp_path):
    listing = write_list(tmp_path, "- What is dropout? <script>alert(1)</script> {: onclick=x }\n")
    assert run(site, "--merge", listing) == 0
    text = (site / "regularisation.md").read_text()
    dropout = parse_page(text, "r").questions[0]
    assert dropout.phrasings[-1] == "What is dropout? &lt;script&gt;alert(1)&lt;/script&gt; &#123;: onclick=x &#125;"
    assert unsafe_html(render_html(text)) == []
    assert run(site, "--merge", listing) == 0 and (site / "regularisation.md").read_text() == text


def test_a_crlf_page_gains_a_stub_with_only_added_lines_and_keeps_its_mode(site, tmp_path):
    page = site / "regularisation.md"
    page.write_bytes(page.read_bytes().replace(b"\n", b"\r\n"))
    os.chmod(page, 0o640)
    before = page.read_bytes()
    assert run(site, write_list(tmp_path, "- What causes overfitting?\n- What is dropouts?\n"), "--merge") == 0
    after = page.read_bytes()
    assert b"\n" not in after.replace(b"\r\n", b"")  # every new line ends like the page's own
    diff = [line for line in difflib.ndiff(before.decode().splitlines(True), after.decode().splitlines(True)) if line[0] in "-+"]
    assert [line for line in diff if line[0] == "-"] == ["- <!-- question difficulty=basic lists=000 -->\r\n"]  # the label joins
    assert "+ - What is dropouts?\r\n" in diff and "+ ## What causes overfitting? { #causes-overfitting }\r\n" in diff
    assert stat.S_IMODE(page.stat().st_mode) == 0o640
    assert [q.id for q in parse_page(after.decode(), "r").questions] == ["dropout", "causes-overfitting"]


def test_a_page_edited_during_a_run_is_not_overwritten_and_no_page_is_written(site, tmp_path, monkeypatch, capsys):
    plan_stubs = stubs.plan_stubs

    def plan_then_someone_edits(*args, **kwargs):
        plan = plan_stubs(*args, **kwargs)
        with open(site / "regularisation.md", "a") as page:
            page.write("\nAn edit saved meanwhile.\n")
        return plan

    monkeypatch.setattr(stubs, "plan_stubs", plan_then_someone_edits)
    before = snapshot(site)
    assert run(site, write_list(tmp_path, "- How does a perceptron learn?\n- What causes overfitting?\n")) == 2
    assert f"{site / 'regularisation.md'}: changed on disk since this command read it" in capsys.readouterr().err
    after = snapshot(site)
    assert after["fundamentals.md"] == before["fundamentals.md"]  # all or nothing
    assert after["regularisation.md"] == before["regularisation.md"] + "\nAn edit saved meanwhile.\n"


def test_a_list_file_name_becomes_a_valid_label():
    assert stubs.list_name(Path("questions/my list <b>.txt")) == "my-list-b"
    assert stubs.list_name(Path("questions/001_bddd461d5ee39213.txt")) == "001"


# --- Property: any list text, in any format, leaves existing lines and escapes new ones ----

ITEM_PREFIXES = ["- ", "* ", "1. ", "12) ", "(3) ", "a) ", "• ", "– ", "### "]
HOSTILE = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "{ #evil }", "{: onclick=x }", "<!-- hidden -->",
           "&lt;i&gt;", "&#123;", "}", "<", "{"]
any_text = st.text(alphabet=st.characters(exclude_categories=("Cs", "Cc")), max_size=30)
hostile_question = st.builds(lambda parts: "What is " + " ".join(parts).strip() + " here?",
                             st.lists(st.one_of(any_text, st.sampled_from(HOSTILE), words), min_size=1, max_size=5))
list_line = st.one_of(
    st.builds(lambda prefix, text: prefix + text, st.sampled_from(ITEM_PREFIXES), hostile_question),
    st.sampled_from(["Convolutional Neural Networks:", "**Regularisation**", "Training"]),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pages=st.lists(page_texts(), min_size=1, max_size=2), lines=st.lists(list_line, min_size=1, max_size=8),
       mode=st.sampled_from(["report", "merge", "force"]))
def test_hostile_lists_keep_every_line_and_write_only_escaped_headings(tmp_path_factory, pages, lines, mode):
    parsed = random_pages(tmp_path_factory, pages)
    questions = parse_list("\n".join(lines) + "\n", "hostile.txt").questions
    plan = stubs.plan_stubs([("hostile", "hostile.txt", questions)], parsed, mode)
    for slug, new_text in stubs.apply_plan(plan, parsed).items():
        old = parsed[slug]
        new = parse_page(new_text, slug)
        metas = {q.meta_line for q in old.questions if q.meta_line}  # a merge may add a list label there
        kept = iter(new_text.split("\n"))
        assert all(line in kept for index, line in enumerate(old.text.split("\n")) if index not in metas), \
            "an existing line was changed or removed"
        old_ids = {q.id for q in old.questions}
        for question in new.questions:
            written = [question.title] if question.id not in old_ids else []
            written += question.phrasings[len(old.question(question.id).phrasings):] if question.id in old_ids else question.phrasings
            for text in written:
                assert "<" not in text and "{" not in text and "}" not in text, text
        assert unsafe_html(render_html(new_text)) == []
