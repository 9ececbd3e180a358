""""Check my case" in German in headless Chromium against the real app: the trace has no English
word and no True/None, a mis-click is corrected in the summary and the verdict changes, and a
date is typed with the keyboard in German form. Needs Debian's Chromium (see browser_harness)."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

import browser_harness as harness
from rules.i18n import question_labels

pytestmark = pytest.mark.browser

ENGLISH_OR_RAW = re.compile(r"\b(True|False|None|unknown|commitment|mostly by work|oral German|tolerated|met|not known|yes|no)\b"
                            r"|\b[a-z]+_[a-z_]+\b")


@pytest.fixture(scope="module")
def app(indexed_settings, tmp_path_factory):
    if not Path(harness.CHROMIUM).exists():
        pytest.skip(f"Chromium missing; install it with: {harness.CHROMIUM_INSTALL}")
    with harness.running_app(indexed_settings, tmp_path_factory.mktemp("streamlit")) as running:
        yield running


@pytest.fixture(scope="module")
def page(app):
    with harness.chromium() as browser:
        context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="de-DE")
        tab = context.new_page()
        tab.goto(app.url)
        harness.wait_for_chat(tab)
        wait_idle(tab)  # the pipeline warms up after the first page is drawn
        yield tab
        context.close()


def wait_idle(page, timeout_s: float = 180) -> None:
    """Until the script run is over: meanwhile the previous run's elements stay on the page (stale)."""
    time.sleep(0.3)
    deadline = time.monotonic() + timeout_s
    while page.get_by_test_id("stStatusWidget").filter(has_text=re.compile(r"\S")).count() and time.monotonic() < deadline:
        time.sleep(0.2)
    while page.locator('[data-stale="true"]').count() and time.monotonic() < deadline:
        time.sleep(0.2)


def select_option(page, box, option: str) -> None:
    field = box.locator("input").first
    field.click()  # Streamlit 1.67 selectboxes are react-aria comboboxes: typing filters the list
    field.fill(option)
    page.get_by_role("option", name=option).first.click()
    wait_idle(page)


def check_button(page):
    """The questions form's submit button, once the rerun has removed the previous round's form."""
    wait_idle(page)
    return page.get_by_test_id("stForm").get_by_role("button", name="Prüfen")


def verdict_text(page) -> str:
    verdict = page.locator('[class*="st-key-ltr-verdict-check"]')
    verdict.wait_for(timeout=60_000)
    return verdict.inner_text()


def choose(radio, option: str) -> None:
    """Click a radio option and make sure it took (a click during a rerun can land on a stale copy)."""
    for _ in range(5):
        radio.last.get_by_text(option, exact=True).click()
        if radio.last.get_by_role("radio", name=option, exact=True).is_checked():
            return
        time.sleep(0.5)
    raise AssertionError(f"radio option {option!r} could not be chosen")


def radio_of(page, fact: str):
    return page.get_by_test_id("stRadio").filter(has_text=question_labels(fact)["de"][:40])


def test_german_check_speaks_german_and_a_misclick_is_corrected(page):
    page.get_by_role("tab", name="Meinen Fall prüfen").click()
    select_option(page, page.get_by_test_id("stSelectbox").filter(has_text="Regelung"), "§ 25b")
    status = page.get_by_test_id("stForm").get_by_test_id("stSelectbox").filter(has_text="Aufenthaltsstatus")
    status.wait_for(timeout=30_000)
    select_option(page, status, "Duldung")
    check_button(page).click()
    wait_idle(page)
    # The mis-click: "deceived the authorities: yes" – a disqualifying answer.
    deception = radio_of(page, "identity_deception")
    deception.wait_for(timeout=30_000)
    choose(deception, "ja")
    check_button(page).click()
    wait_idle(page)
    try:
        page.locator('[class*="st-key-ltr-verdict-check"]').get_by_text("Voraussetzungen nicht erfüllt").first.wait_for(timeout=30_000)
    except Exception:
        page.screenshot(path="/tmp/wt12k_fail.png", full_page=True)
        raise
    text = verdict_text(page)
    assert "Geprüfte Voraussetzungen" in text and "AufenthG § 25b" in text
    assert not ENGLISH_OR_RAW.search(text), ENGLISH_OR_RAW.search(text)
    summary = page.locator(".st-key-case-summary").inner_text()
    assert "Ihre Angaben – bitte prüfen" in summary and "identity_deception" not in summary
    assert question_labels("identity_deception")["de"][:40] in summary
    # Corrected in the summary: the question comes back, answered "nein" now, and the verdict changes.
    page.locator(".st-key-case-change-identity_deception button").click()
    wait_idle(page)
    deception = radio_of(page, "identity_deception")
    deception.wait_for(timeout=30_000)
    choose(deception, "nein")
    check_button(page).click()
    wait_idle(page)
    summary = page.locator(".st-key-case-summary")
    summary.get_by_text(re.compile(re.escape(question_labels("identity_deception")["de"][:40]) + r".*→ nein")).wait_for(timeout=30_000)
    page.get_by_text("Es fehlen noch Angaben").first.wait_for(timeout=30_000)
    assert "Voraussetzungen nicht erfüllt" not in verdict_text(page)
    harness.SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(harness.SCREENSHOTS / "case_check_de.png"), full_page=True)


def test_a_date_is_typed_with_the_keyboard_in_german_form(page):
    page.get_by_role("tab", name="Meinen Fall prüfen").click()
    page.locator(".st-key-facts-clear button").click()
    wait_idle(page)
    select_option(page, page.get_by_test_id("stSelectbox").filter(has_text="Regelung"), "§ 12a")
    field = page.locator('[class*="st-key-fact-recognition_date-"][class*="-text"] input').first
    field.wait_for(timeout=30_000)
    assert field.get_attribute("placeholder") == "TT.MM.JJJJ"
    field.click()
    field.press_sequentially("15.03.2019")
    field.press("Tab")
    check_button(page).click()
    wait_idle(page)
    page.locator(".st-key-case-summary").get_by_text("15. März 2019").wait_for(timeout=30_000)
