"""Parse raw question lists, in the formats people actually paste, into questions.

Pure functions: text in, `ListedQuestion`s out. Handles Markdown headings and
bullets, numbered items (`1.`, `1)`, `1.<TAB>`), Word-style bullets (`•<TAB>`,
`o<TAB>`), section lines that name a topic, CRLF, a BOM, and text copied from a
web page where bold section names and item numbers are glued together
(`**Perceptron**3. What is a` / `**Perceptron**? How does it work?4. ...`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dlqa.errors import ContentError


@dataclass(frozen=True)
class Skipped:
    line: int  # 1-based line in the original file
    text: str
    reason: str


@dataclass
class ParsedList:
    questions: list[ListedQuestion]
    skipped: list[Skipped]


@dataclass(frozen=True)
class ListedQuestion:
    text: str  # cleaned for display
    line: int  # 1-based line in the original file
    section: str  # nearest section heading above it ("" if none)
    topic: str = ""  # explicit `[topic: slug]` override, "" if none


# Words that open a question or an interview prompt.
QUESTION_WORDS = (
    "what which who whom whose when where why how is are was were do does did can could should "
    "would will explain describe discuss define compare contrast name list write implement suppose "
    "while if give derive state show outline summarise summarize walk tell"
).split()

QUESTION_MARKS = ("?", "？", "؟", "\u037e")  # Latin, full-width (CJK), Arabic, Greek question marks

# Typos and spellings fixed for display (whole words, case-insensitive).
SPELLING_FIXES = {
    "wight": "weight",
    "normilization": "normalization",
    "hyperparemeters": "hyperparameters",
    "hyper-parameters": "hyperparameters",
    "hyper-parameter": "hyperparameter",
    "thy": "they",
    "boltzman": "Boltzmann",
    "tensorflow": "TensorFlow",
    "tensor board": "TensorBoard",
    "over fitting": "overfitting",
    "over-fitting": "overfitting",
    "drop out": "dropout",
    "back propagation": "backpropagation",
    "back-propagation": "backpropagation",
    "feed forward": "feedforward",
    "auto-encoder": "autoencoder",
    "pytorch": "PyTorch",
    "gtp-3": "GPT-3",
}
# Words kept as written when a Title Cased Question is turned into sentence case.
PROPER_WORDS = {
    "adam", "alexnet", "bert", "boltzmann", "capsnets", "cnn", "cnns", "cuda", "fasttext", "glove",
    "gpt", "gru", "inception", "keras", "lstm", "mlp", "mobilenet", "nesterov", "pca", "pytorch",
    "relu", "resnet", "rnn", "rnns", "tensorflow", "vgg", "vggnet", "word2vec", "yolo",
}

TRAILING_NOISE = re.compile(
    r"\s*(answers? to (all |above )?questions( of [\w ]+)?|answer|youtube video)\s*$", re.I
)
TOPIC_TAG = re.compile(r"\s*\[topic:\s*([a-z0-9-]+)\s*\]\s*$")
# `1.`, `1)`, `1.<TAB>`, `1000.`, `(1)`, `a)`, `(a)`; group 2 is the item's text.
NUMBERED = re.compile(r"^\s*(\d{1,4}(?:[.)]|\.\t)|\(\d{1,4}\)|\(?[a-zA-Z]\))\s*(\S.*)$")
# Markdown bullets, Word bullets (`•` with or without a space, `o<TAB>`), en and em dashes.
BULLET = re.compile(r"^\s*(?:[-*+–—]\s+|[•▪◦‣]\s*|o\t\s*)(\S.*)$")
HEADING = re.compile(r"^\s*#{1,6}\s+(.*?)\s*#*\s*$")
LINK_ONLY = re.compile(r"^\[[^\]]*\]\([^)]*\)$")
BOLD_ONLY = re.compile(r"^\*\*([^*]+)\*\*:?$")


def _glue_breaks(text: str) -> str:
    """Split items that a copy from a web page glued onto one line."""
    text = text.replace("****", "")
    # `**Bold**` directly before an item number is a section name: own line.
    text = re.sub(r"(\*\*[^*\n]+\*\*)(?=\d{1,3}\.\s)", r"\n\1\n", text)
    # An item number glued to the end of the previous item (`...network?4. What`).
    text = re.sub(r"(?<=[?.)*a-z])(\d{1,3}\.\s+(?=[A-Z*]))", r"\n\1", text)
    # `Answer` / hints / asides glued after a question, before a section name.
    text = re.sub(r"(?<=[?.])\s*\*\*Hint\*\*:.*$", "", text, flags=re.M)
    text = re.sub(r"\*\((See [^)]*)\)\*", "", text)
    text = re.sub(r"(?<=[?.])\s*(Answers? to (all |above )?questions[\w ]*|Answer)(?=\*\*|$)", "", text, flags=re.M)
    # A trailing `**Section**` after a finished question goes to its own line.
    text = re.sub(r"(?<=[?.])\s*(\*\*[^*\n]+\*\*)\s*$", r"\n\1", text, flags=re.M)
    # A bare item number whose dot went into the next bold run (`13` / `**. Dying ...`).
    text = re.sub(r"^(\d{1,3})\s*\n\s*\n\*\*\.\s*", r"\1. **", text, flags=re.M)
    return text


def _unbold(text: str) -> str:
    """Remove `**`, keeping words apart where bold runs were glued to them."""
    # A single capital split off a word (`(S**igmoid)`) joins back.
    text = re.sub(r"(?<![A-Za-z])([A-Za-z])\*\*(?=[a-z])", r"\1", text)
    text = re.sub(r"(?<=\w)\*\*(?=\w)", " ", text)
    text = re.sub(r"(?<=[?:.,)])\*\*(?=\w)", " ", text)
    text = text.replace("**", "")
    return text


def _sentence_case(text: str) -> str:
    words = text.split(" ")
    long_words = [w for w in words if len(w) > 3 and w[0].isalpha()]
    if not long_words or sum(w[0].isupper() for w in long_words) / len(long_words) < 0.7:
        return text
    out = [words[0]]
    for previous, word in zip(words, words[1:]):
        bare = re.sub(r"\W", "", word).lower()
        starts_sentence = previous.endswith(("?", ".", "!", ":"))
        keep = starts_sentence or word.isupper() or bare in PROPER_WORDS or any(c.isupper() for c in word[1:])
        out.append(word if keep else word.lower())
    return " ".join(out)


def clean_question(text: str) -> str:
    """Display form of a question: no markup, numbering, noise or known typos."""
    text = _unbold(text)
    text = re.sub(r"`([^`]*)`", r"\1", text)
    text = TRAILING_NOISE.sub("", text)
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+([?.,:;)])", r"\1", text)
    text = re.sub(r"(?<=[a-z])\((?=[A-Z])", " (", text)  # `Perceptron(MLP)`
    text = re.sub(r"\(\s+", "(", text)
    text = re.sub(r"\?(?=[A-Za-z])", "? ", text)
    for wrong, right in SPELLING_FIXES.items():
        text = re.sub(rf"(?<![\w-]){re.escape(wrong)}(?![\w-])", right, text, flags=re.I)
    text = _sentence_case(text)
    if text and text[0].islower():
        text = text[0].upper() + text[1:]
    return text


def is_question(text: str) -> bool:
    """A line is a question (not a section name) by its ending or its first word."""
    text = text.strip()
    if not text or text.endswith(":") or LINK_ONLY.match(text):
        return False
    if text.endswith(QUESTION_MARKS):
        return True
    return _first_word(text) in QUESTION_WORDS or text.endswith(".")


def _looks_unfinished(text: str) -> bool:
    """No sentence end: maybe cut short by a copy (`What is a`, `Explain these terms:`)."""
    return not text.endswith((*QUESTION_MARKS, ".", ")", "。"))


DANGLING_WORDS = set("a an the is are was of in on to by for and or between like what which how explain describe".split())


def _is_cut_off(text: str) -> bool:
    """Certainly cut short: a dangling colon or bracket, a lone word, or a last word that needs more."""
    words = text.split()
    return text.endswith((":", "(")) or len(words) < 2 or words[-1].lower() in DANGLING_WORDS


def parse_list(text: str, name: str = "<list>") -> ParsedList:
    """All questions of one raw list, in order, with their line numbers and sections, and the
    lines that look like questions but were not read as one (never dropped without a word).

    Cut-off questions that a later, complete copy in the same list supersedes are
    dropped; a cut-off question with no complete copy is a ContentError.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Remember where each original line starts, to report line numbers after re-gluing.
    original_lines = text.split("\n")
    found: list[ListedQuestion] = []
    skipped: list[Skipped] = []
    section = ""
    lines = _glue_breaks(text).split("\n")
    line_no = 1
    i = 0
    # Lists whose questions are mostly headings carry answers (and a table of contents) below them.
    question_headings = sum(1 for line in lines if (h := HEADING.match(line)) and is_question(_strip_number(h.group(1))))
    question_items = sum(
        1 for line in lines if not HEADING.match(line) and (m := NUMBERED.match(line) or BULLET.match(line))
        and is_question(m.group(m.lastindex))
    )
    headings_are_questions = question_headings > question_items
    while i < len(lines):
        raw = lines[i]
        i += 1
        stripped = raw.strip()
        if not stripped:
            continue
        line_no = _locate(original_lines, stripped, line_no)
        heading, numbered, bullet = HEADING.match(raw), NUMBERED.match(raw), BULLET.match(raw)
        if heading:
            body = _strip_number(heading.group(1))
        elif headings_are_questions:  # text under a question heading is its answer
            if stripped.endswith(QUESTION_MARKS):
                skipped.append(Skipped(line_no, stripped, "a question inside an answer (questions are headings in this list)"))
            continue
        elif numbered or bullet:
            body = numbered.group(2) if numbered else bullet.group(1)
        elif _is_section_line(stripped):
            section = clean_question(stripped).rstrip(":")
            continue
        else:
            if is_question(stripped):
                skipped.append(Skipped(line_no, stripped, "not a list item (no bullet, number or heading)"))
            continue
        body = TRAILING_NOISE.sub("", body)
        # A numbered item cut at a bold run continues on the next non-blank line.
        if numbered and not re.search(r"[?.)]\s*$", body):
            j = i
            while j < len(lines) and not lines[j].strip():
                j += 1
            following = lines[j].strip() if j < len(lines) else ""
            if following.startswith("**") and not BOLD_ONLY.match(following) and not NUMBERED.match(following):
                body = body + " " + following
                i = j + 1
        topic = ""
        tag = TOPIC_TAG.search(body)
        if tag:
            topic, body = tag.group(1), body[: tag.start()]
        plain = _unbold(body).strip()
        if numbered and plain.endswith(":") and _first_word(plain) in QUESTION_WORDS:
            found.append(ListedQuestion(clean_question(plain), line_no, section, topic))  # cut off: superseded or an error
        elif is_question(plain):
            found.append(ListedQuestion(clean_question(body), line_no, section, topic))
        else:
            section = clean_question(body).rstrip(":")
    return ParsedList(_drop_superseded(found, name), skipped)


def _locate(original_lines: list[str], stripped: str, previous: int) -> int:
    """1-based line of the original text where `stripped` starts, searching on from `previous`."""
    probe = re.sub(r"\*+", "", stripped)[:60]
    for index in range(previous - 1, len(original_lines)):
        if probe and probe in re.sub(r"\*+", "", original_lines[index]):
            return index + 1
    return previous


def _strip_number(text: str) -> str:
    numbered = NUMBERED.match(text)
    return numbered.group(2) if numbered else text


def _first_word(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.split()[0].lower()) if text.split() else ""


def _is_section_line(text: str) -> bool:
    """A plain line naming a topic: bold on its own, or a few words with no sentence end."""
    if BOLD_ONLY.match(text):
        return True
    plain = text.rstrip(":")
    return bool(re.match(r"^[A-Za-z]", plain)) and len(plain.split()) <= 6 and not re.search(r"[.?!)]$", plain)


def _prefix_key(text: str) -> str:
    return re.sub(r"[\W_]", "", text.lower())


def _drop_superseded(questions: list[ListedQuestion], name: str) -> list[ListedQuestion]:
    kept = []
    for q in questions:
        if _looks_unfinished(q.text):
            key = _prefix_key(q.text)
            if key and any(len(o.text) > len(q.text) and _prefix_key(o.text).startswith(key) for o in questions):
                continue
            if _is_cut_off(q.text):
                raise ContentError(name, q.line, f"question looks cut off and has no complete copy: {q.text!r}")
        kept.append(q)
    return kept
