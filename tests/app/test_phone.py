"""The chat on a 390 × 844 phone, in headless Chromium, on the real index and the real `ask()`.

A person opens the app, taps an example question, reads the answer's start without scrolling;
asks in Arabic and gets a right-to-left answer with `lang`/`dir` and isolated citations; axe-core
finds no critical or serious violation on the start page, a German answer, an Arabic answer and
the case check. Screenshots go to `screenshots/phone-*.png` (git-ignored).
Needs Debian's Chromium: `apt-get update && apt-get install -y chromium`.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

import browser_harness as harness

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
CITATION = re.compile(r"Aufent(?:hG|hV) § \d+[a-z]?")
ANSWERS = '[data-testid="stChatMessage"]:has([data-testid="stChatMessageAvatarAssistant"])'


@pytest.fixture(scope="module")
def app(indexed_settings, tmp_path_factory):
    if not Path(harness.CHROMIUM).exists():
        pytest.skip(f"Chromium missing; install it with: {harness.CHROMIUM_INSTALL}")
    with harness.running_app(indexed_settings, tmp_path_factory.mktemp("streamlit")) as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    if not Path(harness.CHROMIUM).exists():
        pytest.skip(f"Chromium missing; install it with: {harness.CHROMIUM_INSTALL}")
    harness.SCREENSHOTS.mkdir(exist_ok=True)
    with harness.chromium() as running:  # one Playwright per module: a second one cannot start beside it
        yield running


@pytest.fixture(scope="module")
def page(app, browser):
    context = browser.new_context(viewport=PHONE, locale="de-DE", is_mobile=True, has_touch=True, device_scale_factor=2)
    tab = context.new_page()
    tab.goto(f"http://{harness.APP_SITE}:{app.port}/")
    harness.wait_for_chat(tab)
    yield tab
    context.close()


def axe_serious(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
            for v in results.response["violations"] if v["impact"] in {"critical", "serious"}]


def in_view(page, locator) -> bool:
    """The element's start is visible: below Streamlit's fixed header, above the pinned input."""
    header = page.get_by_test_id("stHeader").bounding_box()
    top = header["y"] + header["height"] if header else 0
    box = locator.bounding_box()
    return box is not None and top - 2 <= box["y"] < PHONE["height"] - 120


def on_screen(locator) -> bool:
    box = locator.bounding_box()
    return box is not None and 0 <= box["y"] and box["y"] + box["height"] <= PHONE["height"]


def wait_for_answer(page, before: int):
    answer = page.locator(ANSWERS).nth(before)
    answer.locator('[class*="st-key-feedback-"]').first.wait_for(timeout=harness.ANSWER_TIMEOUT_MS)
    time.sleep(1.5)  # the page script scrolls on the next animation frame; a language rerun may follow
    return page.locator(ANSWERS).nth(before)


def test_start_page_is_compact_and_names_examples_and_languages(page):
    page.screenshot(path=str(harness.SCREENSHOTS / "phone-start.png"))
    assert page.evaluate("document.documentElement.lang") == "de"
    examples = page.locator(".st-key-examples button")
    assert examples.count() == 4
    assert in_view(page, examples.first)
    assert "Sie können fragen auf:" in page.locator(".aa-langs").inner_text()
    assert page.get_by_test_id("stChatInput").locator("textarea").get_attribute("placeholder").startswith("Ihre Frage")
    assert page.locator(".aa-notice").inner_text().startswith("Keine Rechtsberatung")
    assert axe_serious(page) == []
    box = page.get_by_test_id("stChatInput")
    box.locator("textarea").focus()
    outline = box.evaluate("e => getComputedStyle(e).outlineStyle + ' ' + getComputedStyle(e).outlineWidth")
    assert outline.startswith("solid") and outline != "solid 0px", outline  # a visible focus ring
    page.screenshot(path=str(harness.SCREENSHOTS / "phone-start-focus.png"))
    box.locator("textarea").blur()


def test_example_tap_asks_and_the_answer_start_is_in_view(page):
    before = page.locator(ANSWERS).count()
    question = page.locator(".st-key-examples button").first.inner_text()
    page.locator(".st-key-examples button").first.tap()
    answer = wait_for_answer(page, before)
    user = page.locator('[data-testid="stChatMessage"]:has([data-testid="stChatMessageAvatarUser"])').last
    assert question.strip() in user.inner_text()
    text = answer.inner_text()
    assert CITATION.search(text), text[:1500]
    assert in_view(page, answer), answer.bounding_box()
    page.screenshot(path=str(harness.SCREENSHOTS / "phone-answer-de.png"))
    assert on_screen(page.get_by_test_id("stChatInput"))  # pinned: reachable without scrolling back
    assert page.evaluate("document.activeElement && document.activeElement.closest('[data-testid=\"stChatMessage\"]') !== null")
    assert page.locator("#aa-live").inner_text() == "Die Antwort ist da."
    assert "kmein" not in page.content() and "Quelle öffnen" not in text
    assert axe_serious(page) == []


def test_arabic_answer_has_lang_dir_and_isolated_citations(page):
    before = page.locator(ANSWERS).count()
    box = page.get_by_test_id("stChatInput").locator("textarea")
    box.fill("هل الدولدونغ (Duldung) إقامة؟")
    box.press("Enter")
    answer = wait_for_answer(page, before)
    assert page.evaluate("document.documentElement.lang") == "ar"
    assert page.evaluate("document.documentElement.dir") == "rtl"
    container = answer.locator('[class*="st-key-rtl-answer-"]').first
    assert container.get_attribute("lang") == "ar" and container.get_attribute("dir") == "rtl"
    for quote in answer.locator("blockquote").all()[:3]:  # German statute text inside the Arabic answer
        holder = quote.locator("xpath=ancestor-or-self::*[@lang][1]")
        assert holder.get_attribute("lang") in {"de", "en"}
        assert quote.evaluate("e => getComputedStyle(e).direction") == "ltr"
    html = answer.inner_html()
    assert "AufenthG § " in html
    assert re.search(r"(<bdi[^>]*>|\u2068)AufenthG § \d+[a-z]?", html), html[:3000]  # citations isolated
    assert page.locator('[data-testid="stIconMaterial"]:not([aria-hidden="true"])').count() == 0
    send = page.get_by_test_id("stChatInputSubmitButton")
    assert send.get_attribute("aria-label") == "إرسال السؤال"
    page.screenshot(path=str(harness.SCREENSHOTS / "phone-answer-ar.png"))
    assert in_view(page, answer)
    assert axe_serious(page) == []


def test_case_check_has_no_serious_accessibility_violation(page):
    page.get_by_role("tab").nth(1).tap()
    page.get_by_test_id("stSelectbox").nth(1).wait_for(timeout=30_000)
    time.sleep(1.0)
    page.screenshot(path=str(harness.SCREENSHOTS / "phone-check.png"))
    assert axe_serious(page) == []


@pytest.mark.parametrize("lang", ["ar", "de"])
def test_new_answer_shape_shows_the_direct_answer_on_the_first_phone_screen(lang, tmp_path, browser):
    """The direct answer (issue 11's shape) is fully visible on 390 × 844 under its question."""
    import subprocess
    import sys
    import urllib.request

    port = harness.free_port()
    log = (tmp_path / "streamlit.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "tests/app/new_shape_page.py", "--server.port", str(port),
                                "--server.address", "127.0.0.1"], cwd=harness.REPO_ROOT, env=harness.settings_env(None),
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.3)
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
        try:
            tab = context.new_page()
            tab.goto(f"http://127.0.0.1:{port}/?lang={lang}")
            direct = tab.locator(".aa-direct")
            direct.wait_for(timeout=60_000)
            time.sleep(1.0)
            tab.screenshot(path=str(harness.SCREENSHOTS / f"phone-new-shape-{lang}.png"))
            assert on_screen(direct), direct.bounding_box()
            assert direct.locator("xpath=ancestor::*[@lang][1]").get_attribute("lang") == lang
            assert tab.locator(".aa-why blockquote").get_attribute("lang") == "de"
            assert tab.locator('[class*="st-key-more-"] summary').count() == 1
            assert axe_serious(tab) == []
        finally:
            context.close()
    finally:
        harness.stop_process_group(process)
        log.close()
