"""Spaced review, tracks, the mock interview, follow-ups and export/import, in headless Chromium.

Same built site and network guard as test_study_tools.py (a request to another host, or a
JavaScript error, fails the test). Time is Playwright's controlled clock, in UTC.
"""

import json
from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import expect
from test_study_tools import PHONE_WIDTH, base_url, open_page, visible_questions  # noqa: F401 (fixtures shared with the study-tools tests)
# ruff: noqa: F811 (pytest passes those fixtures in as parameters of the same names)

START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def index(built_site):
    return json.loads((built_site / "assets" / "question-index.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def followups(built_site):
    return json.loads((built_site / "assets" / "question-followups.json").read_text(encoding="utf-8"))["questions"]


def cards(page):
    stored = page.evaluate("localStorage.getItem('dlqa.cards')")
    return json.loads(stored)["cards"] if stored else {}


def parse_time(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def clocked_page(open_page, **options):
    page = open_page(timezone_id="UTC", **options)
    page.clock.install(time=START)
    return page


def first_with_followups(index, followups, count=2):
    return next((page, q) for page in index["pages"] for q in page["questions"] if len(followups.get(q["id"], [])) >= count)


def test_a_graded_question_comes_back_in_review_when_due_with_its_follow_ups_in_order(open_page, base_url, index, followups):
    topic, question = first_with_followups(index, followups)
    qid, asked = question["id"], followups[question["id"]]
    page = clocked_page(open_page)
    page.goto(f"{base_url}/{topic['url']}")
    page.click(".q-practice-toggle")
    page.locator(f"h2[id='{qid}'] ~ .q-reveal").first.click()
    answer = page.locator(f"h2[id='{qid}'] ~ .q-answer").first
    answer.locator(".q-grade--good").click()
    expect(answer.locator(".q-grades-status")).to_have_text("Good: back for review in 10 min.")
    card = cards(page)[topic["url"]][qid]
    assert card["grade"] == 3 and timedelta(minutes=10) <= parse_time(card["due"]) - START < timedelta(minutes=11)
    expect(page.locator(f"h2[id='{qid}'] + .q-meta .q-known")).to_have_attribute("aria-pressed", "true")  # recalled = known

    # Not due yet: counted for today, not served; the navigation shows it.
    page.goto(f"{base_url}/review/")
    expect(page.locator(".q-review-due-today")).to_have_text("1")
    expect(page.locator(".q-review-due-now")).to_have_text("0")
    expect(page.locator(".q-review-empty")).to_contain_text("Nothing is due right now")
    expect(page.locator(".md-nav--primary a.md-nav__link[href$='review/'] .q-due-count [aria-hidden]")).to_have_text("1 due")
    expect(page.locator(".q-due-topics a")).to_have_text(topic["title"])

    # Eleven minutes later the open Review page serves it by itself.
    page.clock.fast_forward("11:00")
    expect(page.locator(".q-drill-question a")).to_have_attribute("href", f"{base_url}/{topic['url']}#{qid}")
    expect(page.locator(".q-review-due-now")).to_have_text("1")
    assert not page.locator(".q-drill-answer--main").is_visible()
    page.click(".q-drill-reveal")
    expect(page.locator(".q-drill-answer--main")).to_be_visible()
    page.click(".q-drill .q-grade--easy")
    expect(page.locator(".q-drill-scheduled")).to_contain_text("Easy: back for review in")

    # Its follow-ups, one at a time, in the page's order, each answer hidden until asked for.
    for number, followup in enumerate(asked, start=1):
        block = page.locator(".q-followup").nth(number - 1)
        expect(block.locator(".q-followup-question")).to_have_text(f"Follow-up {number} of {len(asked)}: {followup['q']}")
        assert page.locator(".q-followup").count() == number
        assert not block.locator(".q-drill-answer").is_visible()
        expect(page.locator(".q-drill-next")).to_have_count(0)
        block.locator(".q-drill-reveal").click()
        expect(block.locator(".q-drill-answer")).to_be_visible()
    page.click(".q-drill-next")
    expect(page.locator(".q-review-empty")).to_contain_text("Nothing is due for review today.")
    expect(page.locator(".q-review-due-today")).to_have_text("0")

    # Easy after a successful step: days away. On that day it is due again.
    card = cards(page)[topic["url"]][qid]
    assert card["grade"] == 4 and card["reps"] == 2
    due = parse_time(card["due"])
    assert due - START > timedelta(days=1)
    page.clock.set_system_time(due + timedelta(minutes=1))
    page.reload()
    expect(page.locator(".q-review-due-now")).to_have_text("1")
    expect(page.locator(".q-drill-question a")).to_have_attribute("href", f"{base_url}/{topic['url']}#{qid}")


def test_i_know_this_and_grades_are_one_model_and_old_progress_carries_over(open_page, base_url, index):
    topic = index["pages"][0]
    first, second = (q["id"] for q in topic["questions"][:2])
    page = open_page()
    page.goto(f"{base_url}/")
    page.evaluate(f"localStorage.setItem('dlqa.known', JSON.stringify({{'{topic['url']}': {{'{first}': 1}}}}))")
    page.goto(f"{base_url}/{topic['url']}")
    known = page.locator(f"h2[id='{first}'] + .q-meta .q-known")
    expect(known).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("localStorage.getItem('dlqa.known')") is None
    assert cards(page)[topic["url"]][first]["grade"] == 4  # migrated as "Easy"

    # Forgetting it in practice ("Again") makes it not known; "I know this" makes it known again.
    page.click(".q-practice-toggle")
    page.locator(f"h2[id='{first}'] ~ .q-reveal").first.click()
    page.locator(f"h2[id='{first}'] ~ .q-answer").first.locator(".q-grade--again").click()
    expect(known).to_have_attribute("aria-pressed", "false")
    expect(page.locator(".q-progress-count")).to_have_text(f"0 / {len(topic['questions'])}")
    card = cards(page)[topic["url"]][first]
    assert (card["grade"], card["lapses"]) == (1, 1)
    page.locator(f"h2[id='{second}'] + .q-meta .q-known").click()
    expect(page.locator(".q-progress-count")).to_have_text(f"1 / {len(topic['questions'])}")
    assert cards(page)[topic["url"]][second]["grade"] == 4
    # Taking "I know this" back forgets the card.
    page.locator(f"h2[id='{second}'] + .q-meta .q-known").click()
    expect(page.locator(".q-progress-count")).to_have_text(f"0 / {len(topic['questions'])}")
    assert second not in cards(page)[topic["url"]]


def track_filter_case(index):
    """(page, track): a page where the track keeps some questions and hides others if one exists,
    else a page and a track none of its questions has."""
    slugs = [track["slug"] for track in index["tracks"]]
    pairs = [(page, slug) for page in index["pages"] for slug in slugs]
    def kept(pair):
        return sum(pair[1] in q["tracks"] for q in pair[0]["questions"])
    mixed = [pair for pair in pairs if 0 < kept(pair) < len(pair[0]["questions"])]
    return mixed[0] if mixed else next(pair for pair in pairs if kept(pair) == 0)


def test_track_filter_on_topic_pages_in_review_and_in_the_mock_interview(open_page, base_url, index):
    assert [t["slug"] for t in index["tracks"]] == ["ml-engineer", "llm-engineer", "research-scientist", "ml-infrastructure"]
    topic, track = track_filter_case(index)
    expected = [q["id"] for q in topic["questions"] if track in q["tracks"]]
    page = open_page()
    page.goto(f"{base_url}/{topic['url']}")
    page.select_option(".q-study select[name=q-track]", track)
    assert visible_questions(page) == expected
    expect(page.locator(".q-empty")).to_be_visible() if not expected else None
    page.reload()
    assert page.input_value(".q-study select[name=q-track]") == track and visible_questions(page) == expected

    # Review: new questions come from the chosen track only (the choice is shared).
    llm = [(p, q) for p in index["pages"] for q in p["questions"] if "llm-engineer" in q["tracks"]]
    page.goto(f"{base_url}/review/")
    assert page.input_value(".q-review select[name=q-track]") == track
    page.select_option(".q-review select[name=q-track]", "llm-engineer")
    page.click(".q-review-new")
    first_page, first_question = llm[0]
    expect(page.locator(".q-drill-question a")).to_have_attribute("href", f"{base_url}/{first_page['url']}#{first_question['id']}")

    # Mock interview: the pool follows track and levels.
    page.goto(f"{base_url}/mock/")
    assert page.input_value(".q-mock select[name=q-track]") == "llm-engineer"
    expect(page.locator(".q-mock-matching")).to_have_text(f"{len(llm)} questions match.")
    page.uncheck(".q-mock-levels input[value=basic]")
    not_basic = [pair for pair in llm if pair[1]["level"] != "basic"]
    expect(page.locator(".q-mock-matching")).to_have_text(f"{len(not_basic)} questions match.")
    page.select_option(".q-mock select[name=q-mock-length]", "3")
    page.click(".q-mock-start")
    allowed = {f"{base_url}/{p['url']}#{q['id']}" for p, q in not_basic}
    for number in range(3):
        expect(page.locator(".q-mock-progress")).to_have_text(f"Question {number + 1} of 3")
        assert page.locator(".q-drill-question a").get_attribute("href") in allowed
        page.click(".q-drill-reveal")
        page.click(".q-drill .q-grade--hard")
        while page.locator(".q-drill-next").count() == 0:
            page.locator(".q-followup .q-drill-reveal:visible").click()
        page.click(".q-drill-next")
    expect(page.locator(".q-mock-summary tbody tr")).to_have_count(3)


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def test_mock_interview_timer_notes_and_summary_feed_the_review_schedule(open_page, base_url, index):
    page = clocked_page(open_page, viewport={"width": PHONE_WIDTH, "height": 844}, is_mobile=True, has_touch=True)
    page.goto(f"{base_url}/mock/")
    page.clock.pause_at(START + timedelta(minutes=1))  # time moves only when the test moves it
    page.select_option(".q-mock select[name=q-mock-length]", "3")
    page.select_option(".q-mock select[name=q-mock-minutes]", "10")
    page.click(".q-mock-start")
    expect(page.locator(".q-mock-timer")).to_have_text("10:00 left")
    first = page.locator(".q-drill-question a").get_attribute("href")
    page.clock.fast_forward("01:05")
    expect(page.locator(".q-mock-timer")).to_have_text("8:55 left")
    page.fill(".q-mock-notes textarea", "Rows are true classes.")
    page.click(".q-drill-reveal")
    assert no_sideways_scroll(page), "the revealed answer scrolls sideways at 390 px"
    page.click(".q-drill .q-grade--good")
    while page.locator(".q-drill-next").count() == 0:
        page.locator(".q-followup .q-drill-reveal:visible").click()
    page.click(".q-drill-next")
    expect(page.locator(".q-mock-progress")).to_have_text("Question 2 of 3")
    page.clock.fast_forward("00:30")
    page.click(".q-mock-finish")

    expect(page.locator(".q-mock-summary-title")).to_have_text("Your summary")
    expect(page.locator(".q-mock-overview")).to_have_text("1 of 3 questions graded in 1:35 (limit 10:00).")
    rows = page.locator(".q-mock-summary tbody tr")
    expect(rows).to_have_count(3)
    cells = [rows.nth(i).locator("td").all_inner_texts() for i in range(3)]
    assert cells[0][2:] == ["1:05", "Good", "Rows are true classes."]
    assert cells[1][2:4] == ["0:30", "not graded"]
    assert cells[2][2:4] == ["–", "not reached"]
    assert rows.nth(0).locator("a").get_attribute("href") == first
    assert no_sideways_scroll(page), "the summary scrolls sideways at 390 px"
    # The grade is in the review schedule.
    url, qid = first.removeprefix(f"{base_url}/").split("#")
    assert cards(page)[url][qid]["grade"] == 3

    # When time runs out, the interview ends with the summary.
    page.click(".q-mock-again")
    page.select_option(".q-mock select[name=q-mock-minutes]", "10")
    page.click(".q-mock-start")
    expect(page.locator(".q-drill")).to_be_visible()
    page.clock.fast_forward("09:59")
    expect(page.locator(".q-mock-timer")).to_have_text("0:01 left")
    page.clock.fast_forward("00:02")
    expect(page.locator(".q-mock-summary-title")).to_have_text("Time is up: your summary")
    expect(page.locator(".q-mock-summary tbody tr")).to_have_count(5)


def test_export_then_import_restores_the_review_state_and_a_bad_file_changes_nothing(open_page, base_url, index, tmp_path):
    topic = index["pages"][1]
    page = open_page()
    page.goto(f"{base_url}/{topic['url']}")
    for question in topic["questions"][:2]:
        button = page.locator(f"h2[id='{question['id']}'] + .q-meta .q-known")
        button.click()
        expect(button).to_have_attribute("aria-pressed", "true")
    saved = cards(page)
    page.goto(f"{base_url}/review/")
    with page.expect_download() as download:
        page.click(".q-export")
    exported = tmp_path / download.value.suggested_filename
    download.value.save_as(exported)
    assert exported.name.startswith("dl-interview-qa-progress-") and exported.suffix == ".json"
    assert json.loads(exported.read_text())["cards"] == saved

    # Another browser: nothing known; the file brings everything back.
    page.evaluate("localStorage.clear()")
    page.reload()
    page.set_input_files(".q-import-file", str(exported))
    expect(page.locator(".q-transfer-message")).to_have_text(f"Imported {exported.name}: 2 questions updated.")
    assert cards(page) == saved
    expect(page.locator(".md-nav--primary a.md-nav__link[href$='" + topic["url"] + "'] .q-count [aria-hidden]")).to_have_text(
        f"2/{len(topic['questions'])}")

    # Bad files: a clear message, and nothing changes.
    broken = json.loads(exported.read_text())
    first_id = topic["questions"][0]["id"]
    broken["cards"][topic["url"]][first_id]["grade"] = 7
    for name, content, reason in [
        ("notes.json", "{not json", "the file is not JSON."),
        ("other.json", json.dumps({"cards": {}}), 'this is not a progress file from this site'),
        ("broken.json", json.dumps(broken), f"the card of {topic['url']}#{first_id} has no grade from 1 to 4."),
    ]:
        page.set_input_files(".q-import-file", files=[{"name": name, "mimeType": "application/json", "buffer": content.encode()}])
        expect(page.locator(".q-transfer-message")).to_contain_text(f"Could not import {name}: {reason}")
        expect(page.locator(".q-transfer-message")).to_contain_text("Nothing was changed.")
        assert cards(page) == saved
