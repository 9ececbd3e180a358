"""The chat in headless Chromium, framed cross-site by an NGO page, on the real index.

`http://ngo-site.test:PORT1/` serves embed/host.html; its iframe loads the real app (real `ask()`,
real Chroma, real embedding model) from `http://chat-app.test:PORT2/?embed=true`. Screenshots of
the embed, the chat, the source panel and "check my case" go to `screenshots/` (git-ignored).
Needs Debian's Chromium: `apt-get update && apt-get install -y chromium`.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

import browser_harness as harness

pytestmark = pytest.mark.browser

CITATION = re.compile(r"Aufent(?:hG|hV) § \d+[a-z]?")
SCRIPT_QUESTION = "<script>alert(1)</script><b>x</b>"


@pytest.fixture(scope="module")
def app(indexed_settings, tmp_path_factory):
    if not Path(harness.CHROMIUM).exists():
        pytest.skip(f"Chromium missing; install it with: {harness.CHROMIUM_INSTALL}")
    with harness.running_app(indexed_settings, tmp_path_factory.mktemp("streamlit")) as running:
        yield running


@pytest.fixture(scope="module")
def host_url(app):
    with harness.host_site(app.url) as url:
        yield url


@pytest.fixture(scope="module")
def page(app, host_url):
    harness.SCREENSHOTS.mkdir(exist_ok=True)
    with harness.chromium() as browser:
        context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="de-DE")
        tab = context.new_page()
        tab.dialogs = []  # any alert() from injected text would land here
        tab.on("dialog", lambda dialog: (tab.dialogs.append(dialog.message), dialog.dismiss()))
        tab.goto(host_url)
        yield tab
        context.close()


@pytest.fixture(scope="module")
def frame(page):
    chat = harness.chat_frame(page)
    harness.wait_for_chat(chat)
    return chat


def assistant_text(answer) -> str:
    return answer.inner_text(timeout=10_000)


def screenshot_iframe(page, name: str, start=None, height: int = 2400) -> None:
    """A tall view of the iframe content from `start` (a locator) on: the frame and window are grown."""
    page.set_viewport_size({"width": 1280, "height": height + 200})
    page.evaluate(f"document.querySelector('iframe.chat-frame').style.height = '{height}px'; "
                  "document.querySelector('iframe.chat-frame').style.maxHeight = 'none'")
    time.sleep(0.5)
    if start is not None:
        start.evaluate("e => e.scrollIntoView({block: 'start'})")
    time.sleep(0.5)
    page.locator("iframe.chat-frame").screenshot(path=str(harness.SCREENSHOTS / name))
    page.evaluate("document.querySelector('iframe.chat-frame').removeAttribute('style')")
    page.set_viewport_size({"width": 1280, "height": 1000})


def test_german_question_gets_a_cited_answer_in_the_cross_site_iframe(app, page, frame):
    app_frames = [f for f in page.frames if f.url.startswith(f"http://{harness.APP_SITE}:")]
    assert page.url.startswith(f"http://{harness.HOST_SITE}:") and app_frames, [f.url for f in page.frames]
    answer = harness.ask(frame, "Welche Voraussetzungen hat eine Aufenthaltserlaubnis nach § 25b AufenthG?")
    cold_start_s = time.monotonic() - app.started_at
    text = assistant_text(answer)
    assert CITATION.search(text), text[:2000]
    assert "§ 25b" in text
    (harness.SCREENSHOTS / "cold_start.json").write_text(json.dumps({"launch_to_first_answer_s": round(cold_start_s, 1)}))
    print(f"\ncold start (app launch -> first answer rendered): {cold_start_s:.1f} s")
    page.screenshot(path=str(harness.SCREENSHOTS / "embed.png"), full_page=True)


def test_source_panel_shows_the_verbatim_paragraph_with_its_stand(page, frame):
    answer = frame.locator('[data-testid="stChatMessage"]:has([data-testid="stChatMessageAvatarAssistant"])').first
    panel = answer.locator('[class*="st-key-sources-"]').first
    body = panel.locator('[data-testid="stExpanderDetails"]')
    panel.locator("summary").click()
    # The panel's content is in the page whether or not the expander has finished opening (under load
    # a rerun can close it again): check what it holds, not the animation.
    body.wait_for(state="attached")
    text = body.text_content() or ""
    assert CITATION.search(text)
    assert "verbindlicher Gesetzestext" in text or "nicht verbindliche Übersetzung" in text
    assert "Stand" in text
    quote = body.locator("blockquote").first
    assert len((quote.text_content() or "").strip()) > 40
    # Quotes are German statute text: left to right even inside a right-to-left page.
    assert quote.evaluate("e => getComputedStyle(e).direction") == "ltr"
    assert body.locator('a[href^="http"]').count() >= 1
    screenshot_iframe(page, "sources.png", start=panel)


def test_english_question_gets_a_cited_answer(frame):
    answer = harness.ask(frame, "What are the requirements for an employment toleration under section 60d of the Residence Act?")
    text = assistant_text(answer)
    assert CITATION.search(text), text[:2000]


def test_arabic_question_is_answered_right_to_left_with_citation(page, frame):
    answer = harness.ask(frame, "ما هي شروط الحصول على تصريح الإقامة وفق المادة 25b من قانون الإقامة؟")
    text = assistant_text(answer)
    assert CITATION.search(text), text[:2000]
    container = answer.locator('[class*="st-key-rtl-answer-"]').first
    assert container.evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert frame.locator('[class*="st-key-rtl-page"]').count() == 1  # the whole page switched to Arabic
    user_messages = frame.locator('[data-testid="stChatMessage"]:has([data-testid="stChatMessageAvatarUser"])')
    screenshot_iframe(page, "chat.png", start=user_messages.last)


def test_html_and_script_in_a_question_stay_inert_text(page, frame):
    answer = harness.ask(frame, SCRIPT_QUESTION)
    assert answer.count() == 1
    user_messages = frame.locator('[data-testid="stChatMessage"]:has([data-testid="stChatMessageAvatarUser"])')
    shown = user_messages.last.inner_text()
    assert SCRIPT_QUESTION in shown
    assert page.dialogs == []
    chat = frame.locator('[data-testid="stChatMessage"]')
    assert chat.locator("script").count() == 0
    assert chat.locator("b", has_text=re.compile(r"^x$")).count() == 0


def test_overlong_input_gets_a_clear_message_and_no_answer(frame):
    messages = frame.locator('[data-testid="stChatMessage"]')
    before = messages.count()
    box = frame.get_by_test_id("stChatInput").locator("textarea")
    box.fill("Duldung " * 2500)
    box.press("Enter")
    warning = frame.get_by_test_id("stAlertContentWarning").filter(has_text="4000")
    warning.wait_for(timeout=30_000)
    assert messages.count() == before


def select_option(frame, widget: str, option: str, scope=None) -> None:
    """Open the selectbox labelled `widget` (or with that CSS selector) inside `scope` and pick `option`."""
    area = scope or frame
    box = area.locator(widget) if widget.startswith(".") else area.get_by_test_id("stSelectbox").filter(has_text=widget)
    box.first.locator("input").first.click()  # Streamlit 1.67 selectboxes are react-aria comboboxes
    frame.get_by_role("option", name=option).first.click()  # the list opens in a layer outside the form


def test_language_switch_and_check_my_case_reach_a_verdict_with_trace(page, frame):
    # The page follows the detected language of the last question; the user switches it to English.
    select_option(frame, ".st-key-language_choice", "English")
    frame.get_by_role("tab", name="Check my case").click()
    select_option(frame, "Provision", "§ 25b")
    form = frame.get_by_test_id("stForm")
    # It asks only for what is missing, most decisive first: for § 25b that is the residence status.
    form.get_by_test_id("stSelectbox").filter(has_text="residence status").first.wait_for(timeout=30_000)
    select_option(frame, "residence status", "none", scope=form)
    form.get_by_role("button", name="Check").click()
    verdict = frame.locator('[class*="st-key-ltr-verdict-check"]')
    verdict.get_by_text(re.compile(r"Conditions (not )?met|authority's discretion")).first.wait_for(timeout=60_000)
    verdict.locator("blockquote").first.wait_for()  # each condition comes with its statute sentence
    time.sleep(1.0)  # let the rerun finish drawing the trace
    text = verdict.inner_text()
    assert "AufenthG § 25b" in text and "Conditions checked" in text
    assert "not met" in text  # status "none": neither tolerated nor a § 104c holder
    screenshot_iframe(page, "check_my_case.png", start=frame.get_by_role("tab").first)


def test_reset_forgets_the_conversation(frame):
    frame.get_by_role("tab").first.click()
    assert frame.locator('[data-testid="stChatMessage"]').count() > 0
    frame.locator('[class*="st-key-reset"] button').click()
    frame.locator('[data-testid="stChatMessage"]').first.wait_for(state="detached", timeout=30_000)
    assert frame.locator('[data-testid="stChatMessage"]').count() == 0
