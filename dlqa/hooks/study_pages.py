"""The generated Review and Mock interview pages (review.md, mock.md).

Each is a short page of fixed text with one empty container that its script fills in the
reader's browser: assets/javascripts/review.js (due questions, one at a time, graded with FSRS;
export and import of progress) and assets/javascripts/mock.js (a timed mock interview). The
questions come from assets/question-index.json and their answers from the topic pages, so
these pages hold no content of their own and need no source file under docs/.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

NO_SCRIPT = "This page runs in your browser: it needs JavaScript. Nothing you do here is sent anywhere."

REVIEW = f"""---
title: Review
description: Spaced review of the questions you graded, scheduled by FSRS, kept in this browser only.
hide:
  - toc
search:
  exclude: true
---

# Review

Questions you graded come back here when they are due: answer aloud, press *Show answer*,
then grade how well you recalled it. A spaced-repetition scheduler
([FSRS](https://github.com/open-spaced-repetition/ts-fsrs)) picks the
next date from your grades: *Again* brings it back within minutes, *Easy* after days or
weeks. After a question, its follow-up questions are asked in order. Grade questions on any
topic page in practice mode, mark them *I know this*, or start with new ones here.

<div class="q-review" markdown>

{NO_SCRIPT}

</div>

## Take your progress to another browser

Your grades and schedule are kept in this browser's storage only. Export them to a file and
import that file on another device; importing keeps, for each question, whichever of the
two was reviewed last.

<div class="q-transfer" markdown>

{NO_SCRIPT}

</div>
"""

MOCK = f"""---
title: Mock interview
description: A timed mock interview drawn from the site's questions, by track and level, with a summary at the end.
hide:
  - toc
search:
  exclude: true
---

# Mock interview

Pick a track, the levels and the length; questions come one at a time against the clock.
Answer out loud or in the notes box, reveal the answer, grade yourself, and answer the
interviewer's follow-ups. The summary at the end lists the time you spent and your grade on
each question; the grades go into your [review](review.md) schedule.

<div class="q-mock" markdown>

{NO_SCRIPT}

</div>
"""

PAGES = {"review.md": REVIEW, "mock.md": MOCK}


def on_files(files: Files, /, *, config: MkDocsConfig) -> Files:
    for path, content in PAGES.items():
        files.append(File.generated(config, path, content=content))
    return files
