"""The Streamlit chat's parts: interface strings, Markdown helpers, renderers of the typed `Answer`
and `RuleVerdict`, the case form, the opt-in log of unanswered questions. `app.py` wires them."""
