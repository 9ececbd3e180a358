"""A page with one answer in the new shape (direct answer, why, translation, what to do, warning,
More) drawn by the app's own renderer and page script, for the phone layout tests while the
answering pipeline does not give that shape yet. Run: streamlit run tests/app/new_shape_page.py"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import streamlit as st  # noqa: E402

from assistant.types import Answer, Block, Citation  # noqa: E402
from ui.page import PAGE_CSS, PAGE_SCRIPT, page_config_html  # noqa: E402
from ui.render import render_answer  # noqa: E402

LANG = st.query_params.get("lang", "ar")
STAND = "Stand: zuletzt geändert durch Art. 4 G v. 16.7.2026 I Nr. 213, mit Änderungen veröffentlicht bis 2026-08-12"


def cite(citation: str, lang: str = "de") -> Citation:
    return Citation(citation=citation, source_id="aufenthg", source_title="Aufenthaltsgesetz", source_kind="statute",
                    binding=lang == "de", quote="Die Abschiebung eines Ausländers ist auszusetzen, solange die Abschiebung "
                    "aus tatsächlichen oder rechtlichen Gründen unmöglich ist und keine Aufenthaltserlaubnis erteilt wird.",
                    url="https://www.gesetze-im-internet.de/aufenthg_2004/__60a.html", version=STAND, chunk_id=citation, language=lang)


DIRECT = {
    "ar": "لا. الدولدونغ (Duldung) ليست تصريح إقامة: هي تعليق مؤقت للترحيل فقط، ويبقى واجب المغادرة قائماً.",
    "de": "Nein. Eine Duldung ist kein Aufenthaltstitel: Sie setzt nur die Abschiebung vorübergehend aus; die Pflicht auszureisen bleibt.",
}
TODO = {
    "ar": "اطلب من دائرة الأجانب (Ausländerbehörde) ورقة الدولدونغ (Bescheinigung) واحتفظ بها معك.",
    "de": "Lassen Sie sich von der Ausländerbehörde die Bescheinigung über die Duldung ausstellen und tragen Sie sie bei sich.",
}

st.html(PAGE_CSS)
st.html(PAGE_SCRIPT, unsafe_allow_javascript=True)
st.html(page_config_html(LANG))
answer = Answer(question="q", language=LANG, blocks=[
    Block(kind="direct", text=DIRECT[LANG], language=LANG, citations=[cite("AufenthG § 60a Abs. 3")]),
    Block(kind="why", text="Die Ausreisepflicht eines Ausländers, dessen Abschiebung ausgesetzt ist, bleibt unberührt.",
          language="de", citations=[cite("AufenthG § 60a Abs. 3")]),
    Block(kind="translation", text="Suspension of deportation does not affect the foreigner’s obligation to leave the federal territory.",
          language="en", citations=[cite("AufenthG § 60a Abs. 3", "en")]),
    Block(kind="todo", text=TODO[LANG], language=LANG, citations=[cite("AufenthG § 60a Abs. 4")]),
    Block(kind="more", text=""),
    Block(kind="quote", text="Verbindlicher Gesetzestext, AufenthG § 60a Abs. 2:\n„(2) Die Abschiebung eines Ausländers ist auszusetzen …“",
          language="de", citations=[cite("AufenthG § 60a Abs. 2")]),
])
direction = "rtl" if LANG in {"ar", "fa"} else "ltr"
with st.chat_message("user"):
    with st.container(key=f"{direction}-question-0-{LANG}"):
        st.markdown("هل الدولدونغ إقامة؟" if LANG == "ar" else "Ist eine Duldung ein Aufenthaltstitel?")
with st.chat_message("assistant"):
    render_answer(answer, 1, lambda index: None)
