"""Page-wide styles and the small page script (language, accessibility, scroll to the new answer).

Streamlit gives no setting for the document language, for its own control labels ("Send message",
"Stop", "Help for …"), for a live region or for where the page scrolls after an answer; the script
below does these in the browser. It reads its per-run values from a hidden `#aa-config` element,
so it is installed once and follows every rerun.
"""

from __future__ import annotations

import html
import tomllib
from functools import lru_cache
from pathlib import Path

from ui.text import is_rtl, t

KNOWLEDGE_ENTRIES = Path(__file__).resolve().parent.parent / "knowledge" / "entries"

# Colours: text on white at 7:1 or more (WCAG AAA for body text); quotes at full opacity.
PAGE_CSS = """
<style>
[class*="st-key-rtl-"] { direction: rtl; text-align: right; }
[class*="st-key-rtl-"] :is(p, li, ul, ol) { text-align: start; }
[class*="st-key-ltr-"] { direction: ltr; text-align: left; }
[class*="st-key-rtl-"] blockquote, [class*="st-key-quote-"] { direction: ltr; text-align: left; }
[class*="st-key-rtl-"] blockquote :is(p, li) { text-align: left; }
blockquote { border-left: 3px solid #5f6670; opacity: 1 !important; color: #1f2328 !important; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] * { color: #3d434b !important; opacity: 1 !important; }
[data-testid="stMarkdownContainer"] blockquote * { color: #1f2328 !important; opacity: 1 !important; }
/* compact header on a phone */
h1.aa-title { font-size: 1.25rem; line-height: 1.3; margin: 0; padding: 0; }
.aa-notice { font-size: 0.9rem; color: #1f2328; background: #eef4fb; border-radius: 0.5rem; padding: 0.35rem 0.6rem; }
.aa-notice summary { cursor: pointer; }
.aa-notice summary span { text-decoration: underline; }
.aa-langs { font-size: 0.85rem; color: #3d434b; margin: 0; }
/* the answer's first screen */
.aa-answer { line-height: 1.55; }
.aa-direct { background: #fff6d6; border: 2px solid #a87b00; border-radius: 0.6rem; padding: 0.6rem 0.8rem; font-size: 1.1rem; color: #1f2328; }
.aa-direct p { margin: 0.2rem 0; }
.aa-cite { display: inline-block; font-size: 0.8rem; background: #e7ecf2; color: #1f2328; border-radius: 0.3rem; padding: 0 0.3rem; margin-inline-start: 0.2rem; white-space: nowrap; }
.aa-heading { font-size: 1rem; margin: 0.9rem 0 0.3rem; }
.aa-answer figure { margin: 0.3rem 0 0.6rem; }
.aa-answer blockquote { margin: 0; padding: 0.3rem 0.7rem; background: #f6f7f9; border-left: 4px solid #5f6670; }
.aa-answer blockquote[dir="rtl"] { border-left: 0; border-right: 4px solid #5f6670; }
.aa-translation blockquote { font-style: italic; }
.aa-answer figcaption { font-size: 0.85rem; color: #3d434b; margin-top: 0.15rem; }
.aa-warning { background: #fdecea; border: 1px solid #b3261e; border-radius: 0.5rem; padding: 0.5rem 0.7rem; margin: 0.6rem 0; color: #1f2328; }
.aa-warning-label { font-weight: 700; color: #8c1d18; }
.aa-sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
/* the chat input stays reachable at the bottom of the screen, with a visible focus ring */
/* a new answer scrolled to the top stays below Streamlit's fixed header */
[data-testid="stChatMessage"] { scroll-margin-top: 4.5rem; }
.st-key-question { position: sticky; bottom: 0; z-index: 50; background: #ffffff; padding: 0.4rem 0 0.5rem; }
[data-testid="stChatInput"]:focus-within { outline: 3px solid #0b57d0; outline-offset: 2px; border-radius: 1rem; }
/* example questions wrap instead of being cut with "…" */
.st-key-examples button { height: auto; min-height: 2.25rem; padding: 0.3rem 0.7rem; white-space: normal; }
.st-key-examples button :is(div, p) { font-size: 0.92rem; text-align: start; white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
/* Streamlit's English "Running… Stop" indicator: our own spinner says it in the user's language */
[data-testid="stStatusWidget"] { display: none !important; }
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] { padding-top: 3.5rem; padding-left: 0.9rem; padding-right: 0.9rem; }
}
</style>
"""

PAGE_SCRIPT = """
<script>
(() => {
  if (window.__aaPage) return;
  window.__aaPage = true;
  const doc = document;
  const config = () => (doc.getElementById("aa-config") || {}).dataset || {};
  const live = doc.createElement("div");
  live.id = "aa-live"; live.className = "aa-sr-only";
  live.setAttribute("role", "status"); live.setAttribute("aria-live", "polite");
  doc.body.appendChild(live);
  let seenAnswers = null;
  const answersDone = () => Array.from(doc.querySelectorAll('[data-testid="stChatMessage"]'))
    .filter(m => m.querySelector('[data-testid="stChatMessageAvatarAssistant"]') && m.querySelector('[class*="st-key-feedback-"]'));
  function setAttr(el, name, value) { if (value && el.getAttribute(name) !== value) el.setAttribute(name, value); }
  function apply() {
    const c = config();
    if (!c.lang) return;
    setAttr(doc.documentElement, "lang", c.lang);
    setAttr(doc.documentElement, "dir", c.dir);
    // per message and per quote: the language is in the container's key
    doc.querySelectorAll('[class*="st-key-rtl-"], [class*="st-key-ltr-"], [class*="st-key-quote-"]').forEach(el => {
      const m = el.className.match(/st-key-(rtl|ltr)-(?:answer|question)-\\d+-([a-z]{2})\\b/);
      if (m) { setAttr(el, "lang", m[2]); setAttr(el, "dir", m[1]); return; }
      const q = el.className.match(/st-key-quote-([a-z]{2})-/);
      if (q) { setAttr(el, "lang", q[1]); setAttr(el, "dir", q[1] === "ar" || q[1] === "fa" ? "rtl" : "ltr"); }
    });
    // icon names ("smart_toy", "gavel") are not words to read out
    doc.querySelectorAll('[data-testid="stIconMaterial"], [data-testid^="stChatMessageAvatar"]').forEach(el => setAttr(el, "aria-hidden", "true"));
    // Streamlit's own English control labels
    const send = doc.querySelector('[data-testid="stChatInputSubmitButton"]');
    if (send) { setAttr(send, "aria-label", c.send); setAttr(send, "title", c.send); }
    doc.querySelectorAll('[data-testid="stChatInputStopButton"], button[aria-label="Stop"]').forEach(b => { setAttr(b, "aria-label", c.stop); setAttr(b, "title", c.stop); });
    doc.querySelectorAll('[aria-label^="Help for"]').forEach(el => setAttr(el, "aria-label", c.help + ": " + el.getAttribute("aria-label").replace(/^Help for\\s*/, "")));
    const box = doc.querySelector('[data-testid="stChatInputTextArea"], [data-testid="stChatInput"] textarea');
    if (box && box.placeholder) setAttr(box, "aria-label", box.placeholder);
    // a new answer: bring its start into view, move focus to it, announce it
    const done = answersDone();
    if (seenAnswers === null) { seenAnswers = done.length; return; }
    if (done.length > seenAnswers) {
      const answer = done[done.length - 1];
      answer.setAttribute("tabindex", "-1");
      answer.scrollIntoView({block: "start"});
      answer.focus({preventScroll: true});
      live.textContent = "";
      setTimeout(() => { live.textContent = c.arrived || ""; }, 100);
    }
    seenAnswers = done.length;
  }
  let queued = false;
  new MutationObserver(() => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; apply(); });
  }).observe(doc.body, {subtree: true, childList: true, attributes: true, attributeFilter: ["data-lang", "placeholder"]});
  apply();
})();
</script>
"""


def page_config_html(lang: str) -> str:
    """The hidden element the page script reads: interface language, direction, localised labels."""
    values = {
        "lang": lang,
        "dir": "rtl" if is_rtl(lang) else "ltr",
        "send": t(lang, "send_label"),
        "stop": t(lang, "stop_label"),
        "help": t(lang, "help_label"),
        "arrived": t(lang, "answer_arrived"),
    }
    attrs = " ".join(f'data-{k}="{html.escape(v)}"' for k, v in values.items())
    return f'<div id="aa-config" hidden {attrs}></div>'


def languages_line_html(lang: str, names: dict[str, str]) -> str:
    """'You can ask in: Deutsch, English, العربية, …', each name in its own language and direction."""
    items = ", ".join(f'<bdi lang="{code}" dir="{"rtl" if is_rtl(code) else "ltr"}">{html.escape(name)}</bdi>'
                      for code, name in names.items())
    direction = "rtl" if is_rtl(lang) else "ltr"
    return f'<p class="aa-langs" lang="{lang}" dir="{direction}">{html.escape(t(lang, "languages_line"))} {items}</p>'


def notice_html(lang: str) -> str:
    """The disclaimer in one line ("Not legal advice."), the full text one tap away."""
    notice = t(lang, "notice")
    head, _, rest = notice.partition("**")[2].partition("**")
    head = head or notice
    direction = "rtl" if is_rtl(lang) else "ltr"
    return (f'<details class="aa-notice" lang="{lang}" dir="{direction}"><summary><strong>{html.escape(head.strip())}</strong> '
            f'<span>{html.escape(t(lang, "notice_more"))}</span></summary>{html.escape(rest.strip())}</details>')


@lru_cache(maxsize=8)
def example_questions(lang: str) -> tuple[str, ...]:
    """The first phrasing, in `lang`, of each reviewed knowledge entry named in strings.toml. The
    entry files are read as data: `knowledge.loader` would pull the index builder into the app."""
    from ui.text import _strings

    by_id = {}
    for path in sorted(KNOWLEDGE_ENTRIES.glob("*.toml")):
        with path.open("rb") as fh:
            by_id.update({entry["id"]: entry for entry in tomllib.load(fh).get("entry", [])})
    wanted = _strings()["chat"]["example_entries"]
    missing = [entry_id for entry_id in wanted if entry_id not in by_id]
    if missing:
        raise KeyError(f"example question entries not in {KNOWLEDGE_ENTRIES}: {missing}")
    return tuple((by_id[i]["questions"].get(lang) or by_id[i]["questions"]["en"])[0] for i in wanted)
