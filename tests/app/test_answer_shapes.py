"""`render_answer` draws both answer shapes: the new one (a "direct" block first, the "More" part
behind an expander) and today's (no direct block: every block in order)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def draw(shape: str) -> AppTest:
    def script(shape: str) -> None:
        from assistant.types import Answer, Block, Citation
        from ui.render import render_answer

        cite = Citation(citation="AufenthG § 60a Abs. 2 Satz 1", source_id="aufenthg", source_title="Aufenthaltsgesetz",
                        source_kind="statute", binding=True, quote="Die Abschiebung eines Ausländers ist auszusetzen",
                        url="https://www.gesetze-im-internet.de/aufenthg_2004/__60a.html",
                        version="Stand: 2026-08-12 (kmein/gesetze snapshot 2026-08-12; see SOURCES.md)", chunk_id="c1", language="de")
        direct = [Block(kind="direct", text="Eine Duldung ist kein Aufenthaltstitel.", language="de", citations=[cite]),
                  Block(kind="why", text="Die Abschiebung eines Ausländers ist auszusetzen", language="de", citations=[cite]),
                  Block(kind="more", text="Mehr: ganze Absätze und weitere Vorschriften")]
        common = [Block(kind="quote", text="Verbindlicher Gesetzestext, AufenthG § 60a Abs. 3:\n„(3) Die Ausreisepflicht bleibt unberührt.“",
                        language="de", citations=[cite])]
        blocks = direct + common if shape == "new" else [Block(kind="lead", text="Die Vorschrift ist AufenthG § 60a.", language="de"), *common]
        render_answer(Answer(question="q", language="de", blocks=blocks), 1, lambda index: None)

    return AppTest.from_function(script, args=(shape,), default_timeout=30).run()


def test_new_shape_puts_the_direct_answer_first_and_the_rest_behind_more():
    app = draw("new")
    assert not app.exception
    first = app.get("html")[0].proto.body
    assert "aa-direct" in first and "Eine Duldung ist kein Aufenthaltstitel." in first and 'lang="de"' in first
    labels = [e.label for e in app.expander]
    assert labels[0].startswith("Mehr") and labels[1].startswith("Quellen")
    more_text = " ".join(m.value for m in app.expander[0].markdown)
    assert "Ausreisepflicht" in more_text  # the full paragraph is in "More", not on the first screen
    assert "Ausreisepflicht" not in first


def test_old_shape_is_drawn_block_by_block_with_a_named_link_and_a_local_stand():
    app = draw("old")
    assert not app.exception
    assert not app.get("html")  # no first-screen box without a direct block
    texts = (" ".join(m.value for m in app.markdown) + " ".join(c.value for c in app.caption)).replace("\\", "")  # inert Markdown escapes
    assert "Die Vorschrift ist AufenthG" in texts
    assert "im Gesetz öffnen" in texts and "Quelle öffnen" not in texts
    assert "Stand: 12. August 2026" in texts and "kmein" not in texts
