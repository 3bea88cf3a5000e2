"""Match a question against every known question: exact (normalised text) and near (weighted terms).

Pure functions and one in-memory index; no I/O.

A question is reduced to *terms*: its content words, with spelling variants folded (British and
American, "drop out" / "dropout", "KV-cache" / "KV cache"), abbreviations resolved against their
expansions as the site writes them ("low-rank adaptation (LoRA)": both become one term), and
Snowball stems ("tokenization", "tokens" -> "token"). Terms are weighted by inverse document
frequency (scikit-learn's TfidfVectorizer), so the rare word two questions share ("GRU",
"U-Net") counts for much more than "difference" or "network".

Each known question is represented by several rows: its heading, each of its "Also asked as"
phrasings (and the first sentence of each, when it has several) and the first sentence of its
answer. A new question is scored against every row by how much of its own weight the row covers
and how much of the row's weight it covers (see `score`); a question's score is its best row's.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from typing import Container, Iterable

import numpy as np
import Stemmer
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

# Words that carry no meaning for matching or ids.
STOPWORDS = set(
    """a an the of in on at to for from by with and or is are was were be been do does did you your we
    our i it its this that these those what which who how why when where can could should would will
    shall may might must there their they them some any various various different explain describe
    discuss define mean meant understand concept example briefly detail details use used using
    about into than then also such as way ways me tell give name list""".split()
)
# Also ignored when matching (kept in ids): words that frame a question rather than say what it is about.
FRAMING_WORDS = STOPWORDS | set(
    """concept role purpose main key basic common commonly some various so be being e g eg ie etc vs versus like
    please exactly actually really idea ideas behind context intuition work works working""".split()
)
ARTICLES = {"a", "an", "the"}

# Decision thresholds on `score` (0..1), chosen on the evaluation set (tests/matching_eval.yml,
# `qa bench --only matching`): at 0.55 the everyday set is recognised at 0.95 with 4 of 50
# distinct questions reported as near (0.6: 0.90 and 2; 0.65: 0.85 and 0). A near match is only
# reported, so a contributor sees it and can --force; a missed one adds a duplicate silently.
NEAR_MATCH = 0.55
NEIGHBOUR = 0.3  # a question this close or closer counts as a neighbour when placing a new one
COVERAGE_WEIGHT = 0.7  # how much more the new question's own terms count than the known row's
ANSWER_ROW_WEIGHT = 0.9  # an answer's first sentence is weaker evidence than a phrasing
BODY_ROW_WEIGHT = 0.4  # a whole answer that uses the question's terms: a neighbour, never a near match
SUPPORT = 0.05  # share of a question's second-best row added to its best
ANSWER_SUBJECT_TERMS = 6  # an answer's first sentence counts by its first terms: what it defines
FIRST_SENTENCE_WEIGHT = 0.95  # a compound question's first sentence alone stands for it, a little less

# Everyday clippings the site never writes as "long form (SHORT)".
SHORT_FORMS = {
    "backprop": "backpropagation",
    "norm": "normalization",
    "batchnorm": "batch normalization",
    "layernorm": "layer normalization",
    "params": "parameters",
    "param": "parameter",
    "hyperparams": "hyperparameters",
    "hyperparam": "hyperparameter",
    "nn": "neural network",
    "nns": "neural networks",
    "convnet": "convolutional neural network",
    "convnets": "convolutional neural networks",
    "lr": "learning rate",
    "seq2seq": "sequence to sequence",
}

# British spellings -> American (whole-word endings); -ise/-ize is handled by a rule.
_OUR_WORDS = re.compile(r"^(behavi|neighb|col|lab|fav|flav|hon|rum|harb|vap|hum)our(s|ed|ing|al|hood)?$")
_STEMMER = Stemmer.Stemmer("english")


def words(text: str) -> list[str]:
    """Lower-case words in any script (a run of letters and digits; a script without spaces gives long runs)."""
    return re.findall(r"[^\W_]+", text.lower())


def exact_key(text: str) -> str:
    """Equal for phrasings that differ only in case, spacing, punctuation and articles."""
    return "".join(w for w in words(text) if w not in ARTICLES)


def first_sentence(text: str) -> str:
    return re.split(r"(?<=[?.!])\s", text.strip(), maxsplit=1)[0]


@functools.lru_cache(maxsize=None)
def stem(word: str) -> str:
    """One spelling for British/American and singular/plural forms (optimisation, optimizations -> optimization)."""
    word = re.sub(r"is(ation|ations|e|ed|es|ing|er|ers)$", r"iz\1", word)
    word = re.sub(r"(?<=[aeiou])ll(ing|ed|er)$", r"l\1", word)  # modelling -> modeling
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "as")):
        word = word[:-1]
    return word


def stems(text: str) -> list[str]:
    return [stem(w) for w in words(text)]


@functools.lru_cache(maxsize=None)
def fold(word: str) -> str:
    """A term for one word: British spellings made American, then Snowball's English stem."""
    word = re.sub(r"(?<=\w\w)is(ation|ations|e|ed|es|ing|er|ers)$", r"iz\1", word)
    word = re.sub(r"(?<=\w\w)ys(e|ed|es|ing|er|ers)$", r"yz\1", word)  # analyse -> analyze
    word = _OUR_WORDS.sub(r"\1or\2", word)  # behaviour -> behavior
    word = re.sub(r"(?<=[aeiou])ll(ing|ed|er|ers)$", r"l\1", word)  # modelling -> modeling
    word = re.sub(r"(?<=[^aeiou])tre(s)?$", r"ter\1", word)  # centre -> center
    return _STEMMER.stemWord(word)


# A word, or hyphenated words ("KV-cache"); hyphens of every kind made "-".
_TOKEN = re.compile(r"[^\W_]+(?:[-‐‑–][^\W_]+)*")
_HYPHENS = str.maketrans("‐‑–", "---")


def raw_tokens(text: str) -> list[str]:
    """Lower-case words; a word of two hyphenated parts as one ("u-net" -> "unet", "KV-cache" ->
    "kvcache"), of more as its parts ("mixture-of-experts"); an all-capitals plural loses its "s"
    ("GPUs" -> "gpu", but "bias" stays)."""
    out = []
    for word in _TOKEN.findall(text.translate(_HYPHENS)):
        if word[-1] == "s" and len(word) > 2 and word[:-1].isupper():
            word = word[:-1]
        word = word.lower()
        if "-" in word:
            parts = word.split("-")
            out.extend(["".join(parts)] if len(parts) == 2 else parts)
        else:
            out.append(word)
    return out


_NOT_PROSE = re.compile(r"\]\([^)]*\)|\{[^}]*\}|`[^`\n]*`|https?://\S+|</?[A-Za-z][^>\n]*>|\$[^$\n]*\$|^```.*?^```", re.M | re.S)


def prose(text: str) -> str:
    """`text` without link targets, attribute lists, code, URLs, HTML and inline math: the words a reader reads."""
    return _NOT_PROSE.sub(" ", text)


# --- The site's vocabulary: compounds and abbreviations ----------------------------------

_PAREN = re.compile(r"\(([^()]{1,80})\)")
_SHORT = re.compile(r"^[A-Za-z][A-Za-z0-9-]{1,11}$")


def _is_short_form(text: str) -> bool:
    """"LoRA", "RLHF", "GQA", "ViT": two or more capitals, at most twelve characters, one word."""
    return bool(_SHORT.match(text)) and sum(c.isupper() for c in text) >= 2 and not text.isdigit()


def long_form(short: str, before: str) -> str | None:
    """The expansion of `short` at the end of `before`, by Schwartz and Hearst's rule (2003): each
    letter of the short form, right to left, is found in the text, and the first one starts a word.
    None when there is none within min(len + 5, 2 * len) words."""
    letters = [c.lower() for c in short if c.isalnum()]
    candidate_words = re.findall(r"\S+", before)[-min(len(letters) + 5, 2 * len(letters)):]
    text = " ".join(candidate_words)
    s, i = len(letters) - 1, len(text) - 1
    while s >= 0:
        c = letters[s]
        while i >= 0 and (text[i].lower() != c or (s == 0 and i > 0 and text[i - 1].isalnum())):
            i -= 1
        if i < 0:
            return None
        i -= 1
        s -= 1
    start = text.rfind(" ", 0, i + 1) + 1
    found = text[start:].strip(" ,;:")
    return found if len(found.split()) >= 1 and len(found) > len(short) else None


def abbreviation_pairs(text: str) -> Iterable[tuple[str, str]]:
    """(short form, long form) for each "long form (SF)" and "SF (long form)" in `text`."""
    for match in _PAREN.finditer(text):
        inside = match[1].strip()
        before = text[max(0, match.start() - 200):match.start()]
        before = re.split(r"[.?!;:\n(]\s", before)[-1]
        if _is_short_form(inside):
            expansion = long_form(inside, before)
            if expansion:
                yield inside, expansion
        else:
            previous = re.findall(r"[^\s(]+", before)
            if previous and _is_short_form(previous[-1].strip(",")):
                short = previous[-1].strip(",")
                expansion = long_form(short, re.split(r"[,;]", inside)[0])
                if expansion and re.split(r"[,;]", inside)[0].strip().lower().startswith(expansion.lower()):
                    yield short, expansion


def _fits(short: str, expansion: str) -> bool:
    """Each content word of the long form starts with a letter of the short form (rules out
    "convolutional layers (CNN)")."""
    letters = {c.lower() for c in short if c.isalpha()}
    return all(w[0] in letters for w in words(expansion) if w not in STOPWORDS and w[0].isalpha())


def initialisms(texts: list[str], vocabulary: Vocabulary) -> dict[tuple[str, ...], str]:
    """Long forms whose initials spell an abbreviation of three or more capitals that the texts use
    without expanding it in brackets ("byte-pair encoding" and "BPE", "grouped-query attention" and
    "GQA"): one word of three or more letters per capital, the long form used at least twice."""
    shorts = {word for text in texts for word in re.findall(r"\b[A-Z]{3,6}\b", text)}
    prefixes = {short[:n] for short in shorts for n in range(1, len(short) + 1)}
    seen: dict[tuple[str, str], int] = {}
    for text in texts:
        for sentence in re.split(r"[.?!;:()\n,]", text):
            parts = re.split(r"[\s\-‐‑–/]+", sentence.strip())
            for start, first in enumerate(parts):
                initials = ""
                for end in range(start, min(start + 6, len(parts))):
                    word = parts[end]
                    if len(word) < 3 or not word.isalpha() or word.lower() in STOPWORDS:
                        break
                    initials += word[0].upper()
                    if initials not in prefixes:
                        break
                    if len(initials) >= 3 and initials in shorts:
                        key = (initials, " ".join(parts[start:end + 1]).lower())
                        seen[key] = seen.get(key, 0) + 1
    found: dict[tuple[str, ...], str] = {}
    for (short, expansion), count in seen.items():
        key = vocabulary.terms(expansion)
        if count >= 2 and len(key) >= 2:
            found.setdefault(key, vocabulary.terms(short)[0])
    ambiguous = {short for short in found.values() if list(found.values()).count(short) > 1}
    return {key: short for key, short in found.items() if short not in ambiguous}  # "SSL": self- or semi-supervised


@dataclass(frozen=True)
class Vocabulary:
    """What the site's own prose teaches the matcher: compounds that two separate words should
    become ("drop out" -> "dropout", "KV cache" -> "kvcache"), and long forms that stand for one
    abbreviation term ("low-rank adaptation" -> "lora")."""

    compounds: frozenset[str]  # folded
    expansions: dict[tuple[str, ...], str]  # folded long-form terms -> folded short-form term
    longest: int = 2  # longest expansion, in terms

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> Vocabulary:
        texts = [prose(text) for text in texts]
        compounds = frozenset(fold(w) for text in texts for w in raw_tokens(text) if len(w) > 4)
        base = cls(compounds, {})
        counts: dict[tuple[str, ...], dict[str, int]] = {}
        for text in texts:
            for short, expansion in abbreviation_pairs(text):
                key, short_terms = base.terms(expansion), base.terms(short)
                if len(key) >= 2 and len(short_terms) == 1 and _fits(short, expansion):
                    counts.setdefault(key, {}).setdefault(short_terms[0], 0)
                    counts[key][short_terms[0]] += 1
        for key, short in initialisms(texts, base).items():
            counts.setdefault(key, {}).setdefault(short, 0)
        expansions = {key: max(shorts, key=shorts.get) for key, shorts in counts.items()}
        return cls(compounds, expansions, max(map(len, expansions), default=2))

    def terms(self, text: str) -> tuple[str, ...]:
        """The terms of `text`, in order (a term may repeat)."""
        tokens = raw_tokens(text)
        joined, index = [], 0
        while index < len(tokens):
            word = tokens[index]
            if index + 1 < len(tokens) and word not in FRAMING_WORDS and tokens[index + 1] not in FRAMING_WORDS:
                pair = fold(word + tokens[index + 1])
                if pair in self.compounds:
                    joined.append(pair)
                    index += 2
                    continue
            if word not in FRAMING_WORDS:
                joined.extend(fold(part) for part in SHORT_FORMS.get(word, word).split(" ") if part not in FRAMING_WORDS)
            index += 1
        out, index = [], 0
        while index < len(joined):
            for size in range(min(self.longest, len(joined) - index), 1, -1):
                short = self.expansions.get(tuple(joined[index:index + size]))
                if short:
                    out.append(short)
                    index += size
                    break
            else:
                out.append(joined[index])
                index += 1
        return tuple(out)


# --- The index --------------------------------------------------------------------------


@dataclass(frozen=True)
class Known:
    """A question already on a page (or added earlier in this run), by one of its texts."""

    phrasing: str
    question_id: str
    page: str
    kind: str = "phrasing"  # "heading", "phrasing", "answer" (its first sentence) or "body" (the whole answer)


@dataclass(frozen=True)
class Match:
    known: Known  # the row that decided it
    score: float
    shared: tuple[str, ...]  # the terms both have, heaviest first
    missing: tuple[str, ...]  # the question's terms the row lacks, heaviest first


def score(shared: float, mine: float, theirs: float, weight: float = 1.0) -> float:
    """How close two texts are, from the squared IDF weight of the terms they share and of each
    text's terms: a weighted geometric mean of how much of each one the other covers, with the
    new question's side counting COVERAGE_WEIGHT (a short question can match a long heading; a
    question with a rare term the heading lacks cannot)."""
    if not shared or not mine or not theirs:
        return 0.0
    return weight * (shared / mine) ** COVERAGE_WEIGHT * (shared / theirs) ** (1 - COVERAGE_WEIGHT)


ROW_WEIGHT = {"heading": 1.0, "phrasing": 1.0, "sentence": 1.0, "answer": ANSWER_ROW_WEIGHT, "body": BODY_ROW_WEIGHT}


def rows_of(known: Known) -> list[Known]:
    """A known text and, when it has several sentences, its first (a compound question's first
    sentence is a question of its own: "What is dropout? How does it ...")."""
    first = first_sentence(known.phrasing)
    if known.kind in ("answer", "body") or first == known.phrasing.strip():
        return [known]
    return [known, Known(first, known.question_id, known.page, "sentence")]


class QuestionIndex:
    """Every known question's rows, and the new questions of a run, weighted by one TF-IDF model.

    `incoming` are the texts the run will ask about: they join the IDF statistics (a term that
    only the new list uses is rare, not unknown) and their rows are ready for `add`.
    """

    def __init__(self, known: Iterable[Known] = (), incoming: Iterable[str] = (), vocabulary: Vocabulary | None = None):
        known = [row for item in known for row in rows_of(item)]
        incoming = [text for text in dict.fromkeys(incoming)]
        incoming += [first_sentence(text) for text in incoming]
        self.vocabulary = vocabulary or Vocabulary.from_texts([k.phrasing for k in known] + incoming)
        terms = {text: self.vocabulary.terms(text) for text in [k.phrasing for k in known] + incoming}
        # Rarity is counted over questions (headings, phrasings, opening sentences), not whole answers.
        documents = [terms[text] for text in dict.fromkeys([k.phrasing for k in known if k.kind != "body"] + incoming)]
        if any(documents):
            model = TfidfVectorizer(analyzer=lambda doc: doc, binary=True, norm=None).fit(documents)
            self._vocabulary, self._names, idf = model.vocabulary_, model.get_feature_names_out(), model.idf_
        else:  # no question has a term (no pages, a list of headings only): nothing can match
            self._vocabulary, self._names, idf = {}, np.array([], dtype=object), np.zeros(0)
        self._terms = terms
        self._vectors: dict[str, np.ndarray] = {}
        self.known: list[Known] = []
        self._exact: dict[str, Known] = {}
        self._row_terms: list[frozenset[int]] = []
        self._row_ids: list[tuple[str, str]] = []  # (question id, kind) per row
        self._row_mass: list[float] = []
        self._postings: dict[int, list[int]] = {}  # term -> rows that have it (not whole answers)
        self._body_rows: list[int] = []
        self._body_terms: list[np.ndarray] = []
        self._body_matrix: sparse.csc_array | None = None
        self._idf2 = idf ** 2
        for item in known:
            self._add_row(item)

    def _term_ids(self, text: str) -> np.ndarray:
        if text not in self._vectors:
            terms = self._terms.get(text)
            if terms is None:
                terms = self._terms[text] = self.vocabulary.terms(text)
            vocabulary = self._vocabulary
            self._vectors[text] = np.array(sorted({vocabulary[t] for t in terms if t in vocabulary}), dtype=np.int64)
        return self._vectors[text]

    def _add_row(self, item: Known) -> None:
        index = len(self.known)
        self.known.append(item)
        if item.kind in ("heading", "phrasing") and item.phrasing:
            self._exact.setdefault(exact_key(item.phrasing), item)
        ids = self._term_ids(item.phrasing)
        if item.kind == "answer":  # its subject: what the answer's opening words define
            vocabulary = self._vocabulary
            subject = list(dict.fromkeys(t for t in self._terms[item.phrasing] if t in vocabulary))[:ANSWER_SUBJECT_TERMS]
            ids = np.array(sorted(vocabulary[t] for t in subject), dtype=np.int64)
        self._row_terms.append(frozenset(ids.tolist()))
        self._row_ids.append((item.question_id, item.kind))
        self._row_mass.append(float(self._idf2[ids].sum()))
        if item.kind == "body":  # scored all at once (see _body_values)
            self._body_rows.append(index)
            self._body_terms.append(ids)
            self._body_matrix = None
            return
        for term in ids.tolist():
            self._postings.setdefault(term, []).append(index)

    def _body_values(self, ids: np.ndarray, weights: np.ndarray, floor: float) -> dict[int, float]:
        """row -> score of each whole answer that scores at least `floor` (a share of the question's weight)."""
        if not self._body_rows or floor > BODY_ROW_WEIGHT:
            return {}
        if self._body_matrix is None:
            columns = np.concatenate(self._body_terms)
            rows = np.repeat(np.arange(len(self._body_terms)), [len(t) for t in self._body_terms])
            self._body_matrix = sparse.csc_array((np.ones(len(columns)), (rows, columns)),
                                                 shape=(len(self._body_terms), len(self._idf2)))
        values = BODY_ROW_WEIGHT * (self._body_matrix[:, ids] @ weights) / float(weights.sum())
        return {self._body_rows[i]: float(values[i]) for i in np.flatnonzero(values >= floor)}

    def add(self, item: Known) -> None:
        """A question (or phrasing) added during the run: later questions can match it."""
        for row in rows_of(item):
            self._add_row(row)

    def find_exact(self, text: str) -> Known | None:
        return self._exact.get(exact_key(text))

    def ranked(self, text: str, floor: float = NEIGHBOUR, exclude: Container[int] = (), limit: int | None = None) -> list[Match]:
        """Every known question scoring at least `floor`, best first, by its best row; with `limit`,
        only the best `limit` decided by their own texts and the best `limit` decided by their whole
        answers. A compound question is also scored by its first sentence alone. Rows in `exclude`
        are skipped."""
        best: dict[str, Match] = {}
        first = first_sentence(text)
        for variant, weight in [(text, 1.0)] + ([(first, FIRST_SENTENCE_WEIGHT)] if first != text.strip() else []):
            for match in self._ranked(variant, floor / weight, exclude, limit):
                if weight != 1.0:
                    match = replace(match, score=match.score * weight)
                if match.score >= floor and (match.known.question_id not in best
                                             or match.score > best[match.known.question_id].score):
                    best[match.known.question_id] = match
        ranked = sorted(best.values(), key=lambda match: -match.score)
        if limit is not None:
            ranked = ([m for m in ranked if m.known.kind != "body"][:limit] + [m for m in ranked if m.known.kind == "body"][:limit])
            ranked.sort(key=lambda match: -match.score)
        return ranked

    def _ranked(self, text: str, floor: float, exclude: Container[int], limit: int | None = None) -> list[Match]:
        ids = self._term_ids(text)
        if not len(ids) or floor > 1:
            return []
        weights = self._idf2[ids]
        mine = float(weights.sum())
        # A row scores at least `floor` only if the terms it shares carry at least floor ** (1 / COVERAGE_WEIGHT)
        # of this question's weight, so it must share one of the heaviest terms that reach that share.
        heaviest = [(int(ids[i]), float(weights[i])) for i in np.argsort(-weights, kind="stable")]
        need = mine * floor ** (1 / COVERAGE_WEIGHT)
        remaining, probe = mine, []
        for term, weight in heaviest:
            if remaining < need:
                break
            probe.append(term)
            remaining -= weight
        candidates = {row for term in probe for row in self._postings.get(term, ())}
        mine_set = dict(heaviest)
        mine_terms = mine_set.keys()
        rows: dict[str, list[tuple[float, int, bool]]] = {}
        for row in candidates:
            if row in exclude:
                continue
            shared = sum(mine_set[term] for term in self._row_terms[row] & mine_terms)
            question_id, kind = self._row_ids[row]
            rows.setdefault(question_id, []).append((score(shared, mine, self._row_mass[row], ROW_WEIGHT[kind]), -row, True))
        # A whole answer only counts when it is its question's best row: at least `floor` less the most support can add.
        for row, value in self._body_values(ids, weights, floor - SUPPORT).items():
            if row not in exclude:
                rows.setdefault(self._row_ids[row][0], []).append((value, -row, False))
        best = []
        for scored in rows.values():
            scored.sort(reverse=True)
            # The best row decides; a second row of the same question that also matches breaks ties.
            support = [value for value, _, own_text in scored[1:] if own_text]
            value = min(1.0, scored[0][0] + SUPPORT * (support[0] if support else 0.0))
            if value >= floor:
                best.append((value, -scored[0][1], scored[0][2]))
        best.sort(key=lambda entry: (-entry[0], entry[1]))
        if limit is not None:
            best = [e for e in best if e[2]][:limit] + [e for e in best if not e[2]][:limit]
            best.sort(key=lambda entry: (-entry[0], entry[1]))
        return [self._match(heaviest, row, value) for value, row, _ in best]

    def _match(self, heaviest: list[tuple[int, float]], row: int, value: float) -> Match:
        theirs = self._row_terms[row]
        shared = tuple(str(self._names[t]) for t, _ in heaviest if t in theirs)
        missing = tuple(str(self._names[t]) for t, _ in heaviest if t not in theirs)
        return Match(self.known[row], value, shared, missing)

    def find_near(self, text: str, threshold: float = NEAR_MATCH, exclude: Container[int] = ()) -> Match | None:
        """The closest known question if it scores at least `threshold`, else None."""
        ranked = self.ranked(text, threshold, exclude)
        return ranked[0] if ranked else None


def find_exact(text: str, known: list[Known]) -> Known | None:
    return QuestionIndex(known, [text]).find_exact(text)


def find_near(text: str, known: list[Known], threshold: float = NEAR_MATCH) -> Match | None:
    """The most similar known question scoring at least `threshold`, or None."""
    return QuestionIndex(known, [text]).find_near(text, threshold)
