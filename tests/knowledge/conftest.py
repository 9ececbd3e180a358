"""Fixtures for the knowledge-base tests: the real statute lookup and inline entry texts."""

from __future__ import annotations

import pytest

VALID_ENTRY = """
[[entry]]
id = "test-arbeit-ungeklaerte-identitaet"
topic = "duldung"
valid_from = "2019-08-21"

[entry.questions]
de = ["Darf ich mit Duldung ungeklärte Identität arbeiten?", "Arbeitserlaubnis mit ungeklärter Identität?", "Job mit Duldung ohne geklärte Identität?"]
en = ["May I work with an unclear-identity Duldung?", "Work permit with unclear identity?", "Job with a Duldung for unclear identity?"]
ar = ["هل يمكنني العمل بدولدونغ مجهول الهوية؟", "إذن عمل مع هوية غير واضحة؟", "وظيفة مع دولدونغ مجهولي الهوية؟"]
fa = ["آیا با دولدونگ هویت نامعلوم می‌توانم کار کنم؟", "اجازه کار با هویت نامشخص؟", "کار با دولدونگ هویت نامعلوم؟"]
uk = ["Чи можу я працювати з дульдунгом про нез'ясовану особу?", "Дозвіл на роботу з нез'ясованою особою?", "Робота з дульдунгом для нез'ясованої особи?"]
tr = ["Kimliği belirsiz Duldung ile çalışabilir miyim?", "Kimlik belirsizken çalışma izni?", "Kimliği belirsiz Duldung ile iş?"]
ru = ["Можно ли работать с дульдунгом о невыясненной личности?", "Разрешение на работу при невыясненной личности?", "Работа с дульдунгом для невыясненной личности?"]

[[entry.spans]]
citation = "AufenthG § 60b Abs. 5 Satz 2"
text = "Dem Inhaber einer Duldung mit dem Zusatz „für Personen mit ungeklärter Identität“ darf die Ausübung einer Erwerbstätigkeit nicht erlaubt werden."

[[entry.answer]]
cite = "AufenthG § 60b Abs. 5 Satz 2"
de = "Nein. Mit dieser Duldung darf Ihnen die Arbeit nicht erlaubt werden."
en = "No. With this Duldung you may not be allowed to work."
ar = "لا. مع هذه الدولدونغ لا يجوز السماح لك بالعمل."
fa = "نه. با این دولدونگ نمی‌توان به شما اجازه کار داد."
uk = "Ні. З цим дульдунгом вам не можна дозволити працювати."
tr = "Hayır. Bu Duldung ile size çalışma izni verilemez."
ru = "Нет. С этим дульдунгом вам нельзя разрешить работать."

[entry.review]
status = "draft"
"""

KEY_FACT_ENTRY = """
[[entry]]
id = "test-25b-jahre-deutsch"
topic = "permits"

[entry.questions]
de = ["Wie lange muss ich für 25b hier sein?", "Welches Deutsch brauche ich für 25b?", "Bleiberecht nachhaltige Integration Dauer?"]
en = ["How long must I have lived here for 25b?", "Which German level for 25b?", "Sustainable integration permit, how many years?"]
ar = ["كم سنة يجب أن أقيم هنا من أجل 25b؟", "ما مستوى الألمانية المطلوب؟", "مدة الإقامة للاندماج المستدام؟"]
fa = ["برای ۲۵b چند سال باید اینجا باشم؟", "چه سطح آلمانی لازم است؟", "مدت اقامت برای ادغام پایدار؟"]
uk = ["Скільки років треба прожити для 25b?", "Який рівень німецької потрібен?", "Тривалість перебування для стійкої інтеграції?"]
tr = ["25b için kaç yıl burada olmalıyım?", "Hangi Almanca seviyesi gerekli?", "Sürdürülebilir uyum için süre?"]
ru = ["Сколько лет надо прожить для 25b?", "Какой уровень немецкого нужен?", "Срок пребывания для устойчивой интеграции?"]

[[entry.spans]]
citation = "AufenthG § 25b Abs. 1 Satz 2 Nr. 1"
text = "sich seit mindestens sechs Jahren oder, falls er zusammen mit einem minderjährigen ledigen Kind in häuslicher Gemeinschaft lebt, seit mindestens vier Jahren"

[[entry.spans]]
citation = "AufenthG § 25b Abs. 1 Satz 2 Nr. 4"
text = "über hinreichende mündliche Deutschkenntnisse im Sinne des Niveaus A2 des Gemeinsamen Europäischen Referenzrahmens für Sprachen verfügt"

[[entry.key_facts]]
kind = "duration"
value = "6"
unit = "years"
de = "sechs Jahren"

[[entry.key_facts]]
kind = "level"
value = "A2"
de = "Niveaus A2"

[[entry.answer]]
cite = "AufenthG § 25b Abs. 1 Satz 2 Nr. 1"
de = "In der Regel mindestens 6 Jahre Aufenthalt mit Duldung, Gestattung oder Aufenthaltserlaubnis."
en = "As a rule at least 6 years of stay with a Duldung, Gestattung or residence permit."
ar = "في العادة إقامة لا تقل عن ٦ سنوات بدولدونغ أو إذن إقامة."
fa = "معمولاً دست‌کم ۶ سال اقامت با دولدونگ یا اجازه اقامت."
uk = "Як правило, щонайменше 6 років перебування з дульдунгом або дозволом."
tr = "Kural olarak Duldung veya oturum izniyle en az 6 yıl kalış."
ru = "Как правило, не менее 6 лет пребывания с дульдунгом или разрешением."

[[entry.answer]]
cite = "AufenthG § 25b Abs. 1 Satz 2 Nr. 4"
de = "Sie brauchen mündliche Deutschkenntnisse auf Niveau A2."
en = "You need spoken German at level A2."
ar = "تحتاج إلى معرفة شفهية بالألمانية بمستوى A2."
fa = "به دانش شفاهی زبان آلمانی در سطح A2 نیاز دارید."
uk = "Потрібне усне знання німецької на рівні А2."
tr = "A2 düzeyinde sözlü Almanca bilgisi gerekir."
ru = "Нужно устное знание немецкого на уровне A2."
"""


@pytest.fixture(scope="session")
def statute():
    """The real statute corpus (settings.shared_dir), split into Sätze / Nummern."""
    from knowledge.statute import StatuteLookup

    return StatuteLookup.from_corpus()
