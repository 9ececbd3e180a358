"""Shared dev cases (/work/shared/evals/rule_cases.jsonl) whose expected `met` the statute no longer lets the
checker give: they leave unknown a fact that can bar the permit. Reported, not edited (shared files are
read-only). Each maps to the facts the checker asks for and the statute sentence that makes them decisive.

§ 5 Abs. 4 AufenthG: "Die Erteilung eines Aufenthaltstitels ist zu versagen, wenn ein Ausweisungsinteresse im
Sinne von § 54 Absatz 1 Nummer 2 oder 4 besteht oder eine Abschiebungsanordnung nach § 58a erlassen wurde."
§ 11 Abs. 1 Satz 3 AufenthG: "... noch darf ihm, selbst im Falle eines Anspruchs nach diesem Gesetz, ein
Aufenthaltstitel erteilt werden." § 5 Abs. 1 Nr. 2 AufenthG: "kein Ausweisungsinteresse besteht" (any interest
of § 54, e.g. Abs. 2 Nr. 10 for a conviction; § 25a/§ 25b do not derogate from it).
"""

BAR_FACTS = frozenset({"expulsion_order", "extremist_ties"})
CONVICTION = frozenset({"convicted_intentional_offense"})

SUPERSEDED: dict[str, frozenset[str]] = {
    "dev-rc-13": BAR_FACTS | CONVICTION,
    "dev-rc-15": BAR_FACTS | CONVICTION,
    "dev-rc-19": BAR_FACTS | CONVICTION,
    "dev-rc-21": BAR_FACTS | CONVICTION,
    "dev-rc-23": BAR_FACTS | CONVICTION,
    "dev-rc-24": BAR_FACTS | CONVICTION,
    "dev-rc-44": BAR_FACTS,
}
