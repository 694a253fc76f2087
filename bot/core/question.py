"""One question as text: what kind of detail it asks for and where it splits, in de, en and zh;
and what reading it yields (pure).

Answer types: a question that asks "who", "where", "when", "how many", "how much", "what time" or
for a name is matched against the `provides` of the intent that would answer it: when the intent cannot give
that kind of detail, the honest reply is that the release does not say it. Names of things (which
metro lines, which data centres) are left to the known unknowns of the fact base.

Clauses: a message that asks two things ("... and who ...", "……，谁……") splits into its parts; a
long question framed by a greeting or the asker's context is read by its last clauses when they are
clearer than the whole.

A `Reading` is what reading a question yields (bot.core.reading reads: alone, in the chat's
context, by its core clause); what to do with it is the engine's decision.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from bot.core.lang import is_han, normalise
from bot.core.ranking import Ranking
from bot.knowledge.model import AnswerType

# What a question can ask for: the answer types, a person in a role ("who led ..."), and the exact
# venue, which no fact here gives.
# "day" asks for a date finer than a year (an exact day or month); "quote" for what someone said.
Asked = Literal[
    "person",
    "role_person",
    "place",
    "city",
    "venue",
    "date",
    "day",
    "time",
    "number",
    "headcount",
    "money",
    "age",
    "personal",
    "career",
    "employment",
    "quote",
    "future",
    "rank",
]

# -- answer types ------------------------------------------------------------------------------

# Which `provides` values satisfy each kind of question.
SATISFIED_BY: Mapping[Asked, frozenset[AnswerType]] = {
    "person": frozenset({"person", "organisation"}),  # "who signed?" may be answered by the parties
    "role_person": frozenset({"person"}),  # "who led / heads / founded ..." wants a person
    "place": frozenset({"place"}),
    "city": frozenset({"place", "organisation"}),  # "which city?" is answered by the city's government
    "venue": frozenset(),
    "date": frozenset({"date"}),
    "day": frozenset({"date"}),  # and the answer must name a day or month: see `gives_day`
    "quote": frozenset({"quote"}),
    "time": frozenset({"time"}),
    "number": frozenset({"number", "money"}),
    # "How many people / jobs / trainees": no answer counts people (the release counts areas and
    # goals; a count of the people it names is computed from the typed facts before this check).
    "headcount": frozenset(),
    "money": frozenset({"money"}),
    "age": frozenset(),  # nobody's age is in the release
    "personal": frozenset(),  # nor anyone's nationality, family or studies
    # Nor who held a post before or after the person it names, nor that person's earlier posts:
    # a release names people in the posts they hold on its day.
    "career": frozenset(),
    # Nor vacancies, applications, pay or working conditions at any employer: a release about an
    # agreement is no job advertisement.
    "employment": frozenset(),
    # "The next meeting", "next year": a release reports what was done and agreed, with no dates
    # ahead of it.
    "future": frozenset(),
    # "Is it the first (the only) such agreement?": a release ranks nothing among others of its kind.
    "rank": frozenset(),
}

# Patterns on normalised text (lower case, umlauts folded: "für" -> "fur", "ß" -> "ss").
_LATIN: Mapping[Asked, str] = {
    "role_person": (
        r"\bwho\b.{0,60}\b(head(s|ed)?|led|leads?|run(s)?|ran|manag\w*|found(ed)?|in charge|chair(s|ed)?|"
        r"presides?|coordinat\w*|general manager|managing director|boss|"
        r"responsible|spoke|speaks|initiat\w*|launched|started|began|kicked off)\b|\bwer\b.{0,60}\b(leit\w*|"
        r"gefuhrt|fuhrt\w*|grundet\w*|verantwortlich|zustandig|sprach|gesprochen|geleitet|angestossen|"
        r"vorsitz\w*|koordinier\w*|geschaftsfuhrer\w*|chef\w*|"
        r"initiiert\w*|angeregt|ins leben gerufen|begonnen|gestartet)\b|"
        # "Wie heißt der Leiter ...?", "the name of the head of ...": a title asks for its holder.
        r"\bwie heisst (der|die) (leiter\w*|chef\w*|geschaftsfuhrer\w*|direktor\w*|vorsitzende\w*)\b|"
        r"\bnames? of the (head|director|manager|boss|chief|general manager|managing director)\b|"
        r"\bwhat is the (head|director|manager|boss|chief)('?s)? name\b"
    ),
    "person": r"\bwho(m|se)?\b|\bwer\b|\bwem\b|\bwen\b|\bwessen\b|\bwhich person\b|\bwelche person",
    "venue": (
        r"\b(address|adresse|anschrift|postanschrift|venue|veranstaltungsort|which building|in which hotel|"
        r"what hotel|(which|what|in which) (street|district|neighbou?rhood|part of (the )?(city|town))|"
        # "in the Yuzhong district", "im Bezirk Yuzhong": a district named is finer than the city too.
        r"in (the )?[a-z]+ (district|street|neighbou?rhood)|im (bezirk|stadtteil|viertel) [a-z]+|"
        r"in welche[mr] (raum|gebaude|hotel|saal|strasse|stadtteil|bezirk|viertel)|"
        r"welche[rns]? (strasse|stadtteil|bezirk|viertel))\b"
    ),
    "city": r"\bwhich (chinese )?city\b|\bwhat city\b|\bwelche[rnm]? (chinesischen? )?stadt\b",
    "place": r"\bwhere\b|\bwo\b|\bwohin\b|\bwelche[mn]? ort\b|\bwhich (place|location)\b",
    "day": (
        r"\b(exact|precise|genaue[nms]?|konkrete[nms]?)\s+(date|day|datum|tag|termin)\b|"
        r"\b(which|what) (exact )?(day|month)\b|\ban welchem (genauen )?tag\b|\bwelche[nm]? monat\b|"
        r"\bin welchem monat\b|\bdate in (19|20)\d\d\b|\bday (in|of) (19|20)\d\d\b|\bwhen in (19|20)\d\d\b|"
        # "When exactly in 2018", "wann genau im Jahr 2018": the year is known to the asker.
        r"\b(when|wann)( exactly| precisely| genau)? (in|im|during|wahrend)( the year| jahre?| des jahres)? "
        r"(19|20)\d\d\b|"
        r"\b(19|20)\d\d\b.{0,20}\b(when|wann) (exactly|precisely|genau)\b|"
        # "An welchem Datum genau", "on which date exactly": the exact date, in the other order.
        r"\b(date|datum|day|tag)\s+(exactly|precisely|genau)\b|"
        # "Which date in <year>", "an welchem Datum im Jahr <year>": the year is known to the asker.
        r"\b(which|what|welche[mn]?) (date|datum)\b.{0,40}\b(in|im|during|wahrend)( the year| jahre?)? "
        r"(19|20)\d\d\b"
    ),
    "quote": (
        r"\b(speech|remarks|rede|ansprache|grussworte?)\b|\bwhat did .{1,40} (say|stress|emphasi[sz]e)\b|"
        r"\bwas (hat|sagte) .{1,40} (gesagt|betont|geaussert|erklart)\b|\bbetonte?\b|"
        # "Did X say anything about ...", "Hat X etwas zu ... gesagt?"
        r"\bdid (?!(the )?(press )?(release|statement|text|announcement|article)\b).{1,40} "
        r"(say|comment|speak|talk)\b|\b(hat|hatte) (?!(die )?(presse)?(mitteilung|meldung|text)\b).{1,40} "
        r"(gesagt|geaussert|geredet|gesprochen)\b|"
        # A person's view is their words: "What does X think of ...", "Was meint / hält X von ...".
        r"\bwhat (does|did) .{1,40} think\b|\bwas (meint|meinte|denkt|dachte) .{1,40} (von|uber|zu)\b|"
        r"\bwas (halt|hielt) .{1,40} von\b|"
        # Praise or blame is words said too ("Did X praise the company?", "Hat X die Firma gelobt?").
        r"\b(praised?|praises|praising|critici[sz]ed?|lobte|lobten|gelobt|kritisierte|kritisiert)\b|"
        # A person's statement, comments or words ("X's statement", "his remarks", "the words of
        # X"); not the release's own ("the release's statement", "the press statement").
        # ("X's message" is the agreement's or a city's as often: no quote asked).
        r"\b(?!(press|release|text|announcement|article|news|company|government|city)\b)[a-z]+ s "
        r"(statement|comments?|words|quotes?)\b|"
        r"\b(his|her|their) (statement|comments?|words|message)\b|"
        r"\b(statement|comments?|words) (of|by|from) (?!(the|this|that|a|an|its)\b)[a-z]"
    ),
    "time": (
        r"\bwhat time\b|\bat what time\b|\buhrzeit\b|\bum wie ?viel uhr\b|\bwelche[rn]? uhrzeit\b|"
        # The hour, or the part of the day.
        r"\b(what|which) hour\b|\bexact time\b(?! ?(frame|span|line|period|table|scale|horizon))|"
        r"\bmorning or (afternoon|evening)\b|"
        r"\bvormittags? oder (nachmittags?|abends?)\b|\bzu welcher stunde\b"
    ),
    "date": (
        r"\bwhen\b|\bwhat date\b|\bwhich (day|year|month)\b|\bsince when\b|\bwann\b|\bseit wann\b|"
        # A deadline asks when too ("Is there a deadline?", "bis wann?", "期限").
        r"\bdeadlines?\b|\bby when\b|\bfrist\w*|\btime ?(line|table|frame)\b|\bzeit(plan|rahmen)\b|"
        r"\bwelche[mn]? (jahr|datum|tag|monat)\b|\ban welchem tag\b"
    ),
    "money": (
        r"\bhow much\b|\bwie ?viel\b(?!e)|\b(investment|investition\w*|volume|volumen|betrag|amount|"
        r"summe|budget|capex)\b|"
        # Financial figures: what a deal earns is a sum of money too.
        r"\b(eps|earnings|ergebnis je aktie|revenues?|umsatz\w*|umsatze|profits?|profitab\w*|margins?|"
        r"guidance|sales figures?|share price|aktienkurs)\b|"
        # What something costs or someone earns.
        r"\b(cost|costs|costing|price|salary|salaries|paid|pay|kost\w*|preis|gehalt|gehalter|verdien\w*)\b"
    ),
    # "How often does it meet?": a frequency is a count too, and no fact counts meetings.
    "number": (
        r"\bhow many\b|\bwie ?viele\b|\bnumber of\b|\banzahl\b|"
        r"\bhow (often|frequently)\b|\bwie (oft|haufig)\b"
    ),
    "headcount": (
        r"\bhow many (\w+ )?(people|ppl|persons|employees|staff|workers|jobs|trainees|participants|students|"
        r"engineers|specialists|experts|talents?|graduates|apprentices|journalists|reporters|guests|visitors|"
        r"attendees)\b|\b(number of|anzahl der) (\w+ )?"
        r"(people|employees|staff|workers|jobs|trainees|mitarbeit\w*|beschaftigte\w*|arbeitsplatze|"
        r"fachkrafte|teilnehmer\w*)\b|\bwie ?viele (\w+ )?(menschen|personen|leute|mitarbeit\w*|"
        r"beschaftigte\w*|arbeitsplatze|fachkrafte|teilnehmer\w*|stellen|jobs|ingenieur\w*|"
        r"studierende\w*|auszubildende\w*|azubis|journalist\w*|reporter\w*|gaste|besucher\w*)\b"
    ),
    "future": (
        r"\bnext (year|month|week|meeting|session|round|summit|gathering)\b|\b(in|over|during) the "
        r"(coming|next) (years?|months?|decade)\b|\bnachste[nms]? (jahr|monat|woche|treffen|sitzung|"
        r"runde|gipfel|mal)\b|\bnext time\b|\bim (kommenden|nachsten) jahr\b|"
        r"\bin den (kommenden|nachsten) (jahren|monaten)\b|"
        # "What's next?", "Wie geht es weiter?": plans ahead of the release.
        r"\bwhat s next\b(?! after)|\bwhat comes next\b(?! after)|\bnext steps?\b(?! after)|"
        r"\bwie geht es (jetzt )?weiter\b|"
        r"\bnachste[n]? schritte?\b"
    ),
    "age": r"\bhow old\b|\bwie alt\b|\bage of\b|\bsein alter\b|\bjahrgang\b|\bborn\b|\bgeboren\b",
    "personal": (
        r"\b(nationality|citizenship|nationalitat|staatsangehorigkeit|staatsburgerschaft|married|verheiratet|"
        r"spouse|wife|husband|ehefrau|ehemann|hometown|heimatstadt|alma mater|studied|studierte|studiert|"
        r"doctorate|phd|doktortitel|promoviert|children|kids|kinder|"
        r"e ?mail|phone number|telefonnummer|handynummer|mobile number|linkedin|twitter|wechat|weibo)\b|"
        # "Is he a German citizen?", "Ist er deutscher Staatsbürger?": not "what it means for citizens".
        r"\b(german|chinese|us|american|british|french|swiss|austrian|foreign) (citizen|national|passport)\b|"
        r"\bstaatsburger\b|\b(where|wo) .{1,40}\b(study|studieren)\b|"
        # "Is X Chinese?", "Ist X Deutscher?": a person's nationality, asked at the question's end.
        r"^(is|ist) [a-z ]{1,30} (chinese|german|american|british|deutscher|amerikaner|brite)$|"
        # The car someone drives, their hobbies.
        r"\b(what|which) (kind of |type of )?cars?\b|\bdrives? (an? |the |his |her )?(car|vehicle)s?\b|"
        r"\bhobb(y|ies|ys)\b|"
        r"\b(welches|welchen|was fur ein(en)?) (auto|dienstwagen|wagen)\b"
    ),
    # Working somewhere: vacancies, applying, internships, pay and visas ("Are there openings, how do
    # I apply?", "Welches Einstiegsgehalt?"); not jobs a deal creates, which a known unknown says.
    "employment": (
        r"\b(vacanc(y|ies)|job (openings?|offers?|ads?|adverts?|postings?|vacanc\w*)|"
        r"open (positions?|roles?|posts?|vacanc\w*)|internships?|interns|"
        r"graduate (programmes?|programs?|schemes?|jobs?|positions?)|work (visas?|permits?)|"
        r"visa sponsor\w*|sponsor\w* (a |the )?(work )?visas?|starting (salary|salaries|pay)|"
        r"stellenangebot\w*|stellenanzeige\w*|stellenausschreibung\w*|(offene|freie) stellen|"
        r"praktikum|praktika|praktikant\w*|bewerb(e|en|ung|ungen|ungsprozess)|arbeitsvisum|arbeitserlaubnis|"
        r"\w*gehalt|\w*gehalter)\b|"
        # "How do I apply?" alone or for a job; not "how can we apply <a technology>".
        r"\b(how (do|can|could|should|would) (i|we|one|you) apply"
        r"(?! (\w+ ){0,3}(technolog\w*|it|them|this|that|digital\w*|solutions?|methods?|knowledge|"
        r"expertise|ai))|"
        r"apply (for|to) (a |an |the )?"
        r"(job|position|role|post|internship)|where (do|can) (i|we) apply)\b|"
        # "Is the branch hiring (right now)?": vacancies now, not the jobs a deal creates.
        r"\b(is|are) [a-z ]{1,40} hiring\b|\bhiring (right )?now\b|\bcurrently hiring\b"
    ),
    "rank": (
        r"\b(first|only|biggest|largest) "
        r"(such|ever|one of its kind|(framework )?(agreement|deal|contract|pact))\b|"
        r"\bof (its|this) kind\b|\b(ihrer|seiner|dieser) art\b|"
        r"\b(erste|ersten|erster|erstes|einzige|einzigen|grosste|grossten) (solche\w*|(rahmen)?vereinbarung|"
        r"abkommen|vertrag|vertrage)\b|"
        # Another agreement before this one: "an earlier deal", "schon einmal eine Vereinbarung".
        r"\b(earlier|previous|prior|former|older) (agreements?|deals?|contracts?|accords?)\b|"
        r"\b(an|any|another) (agreement|deal|contract)s?\b.{0,30}\b(before|prior to|earlier than) "
        r"(19|20)\d\d\b|"
        r"\b(fruhere|vorherige|altere)\w* (vereinbarung|abkommen|vertrag|vertrage)\w*\b|"
        r"\bschon (einmal|mal|fruher|zuvor)\b.{0,30}\b(vereinbarung|abkommen|vertrag)\w*\b|"
        r"\b(eine|ein|einen|irgendeine\w*|andere\w*) (vereinbarung|abkommen|vertrag)\w*\b.{0,30}"
        r"\bvor (19|20)\d\d\b|\bvor (19|20)\d\d\b.{0,30}\b(eine|ein|einen|irgendeine\w*|andere\w*) "
        r"(vereinbarung|abkommen|vertrag)"
    ),
    "career": (
        r"\b(predecessors?|successors?|vorganger\w*|nachfolger\w*)\b"
        r"(?! (of|to|der|des|von) ([a-z]+ ){0,3}"
        r"(office|branch|agreement|deal|buro|niederlassung|vereinbarung))|"
        r"\b(career|karriere|werdegang|lebenslauf)\b|"
        # "the previous CEO", "his former job", "der frühere Bürgermeister"
        r"\b(previous|former|prior|earlier|ex)[- ]([a-z]+ )?(ceos?|chairm[ae]n|presidents?|heads?|boss(es)?|"
        r"chiefs?|mayors?|secretar(y|ies)|managers?|leaders?|jobs?|roles?|positions?|posts?|employers?)\b|"
        r"\b(ehemalig|fruher|vorig|vorherig)\w* (ceo|chef\w*|vorstand\w*|leiter\w*|burgermeister\w*|"
        r"sekretar\w*|prasident\w*|job\w*|position\w*|posten|stelle|rolle|arbeitgeber\w*)\b|"
        # "CEO before X", "wer war vor X Chef": another holder of the post, not the signing's time
        r"\b(ceo|chef|chairman|president|prasident|head|leiter|boss|mayor|burgermeister|secretary|sekretar)\b"
        r".{0,40}\b(before|after|vor|nach) (?!(the|der|dem|den|die|das|a|an|ein|einem|einer|it|its|this|"
        r"that|signing|unterzeichnung|ort|allem)\b)[a-z]|"
        r"\b(who|wer) (was|war) (before|vor|after|nach) (?!(the|der|dem|den|die|das|a|an|ein|einem|einer|"
        r"it|its|this|that|signing|unterzeichnung|ort|allem)\b)[a-z]|"
        r"\b(before|after) (him|her)\b|\b(vor|nach) (ihm|ihr)\b|"
        r"\bwhat did .{1,40} do before\b|\bwas (hat|machte|tat) .{1,40} (vorher|davor|zuvor)\b|"
        # "the first CEO", "take over from X", "vor seinem jetzigen Amt", "his background"
        r"\bfirst (ceo|chairman|president|head|boss|chief|mayor|secretary)\b|\btake over from\b|"
        r"\b(vor|nach) (seinem|ihrem) (jetzigen |aktuellen |heutigen )?(amt|posten|job|position)\b|"
        r"\b(his|her|s) (background|bio|biography)\b|\bbiograph\w*|"
        r"\bwho (\w+ ){0,3}(succeed\w*|replac\w*|preceded)\b|"
        r"\bwer (folgte|folgt|ersetzte|ersetzt)\b"
    ),
}
_HAN: Mapping[Asked, str] = {
    "role_person": (
        r"负责人|谁负责|谁领导|谁主持|谁讲话|谁发言|谁创办|谁牵头|由谁负责|谁发起|由谁发起|谁促成|谁推动|"
        # "哪两位", "哪几个人": counted people, whom no list of organisations names.
        r"哪[两二几三四]位|哪[两二几三四]个人|"
        # "总经理是谁": a title asks for the person who holds it.
        r"(负责人|总经理|经理|总裁|董事长|主管|老板|行长|一把手|掌门人)(是谁|是哪位|叫什么)|谁(是|担任|当)(总经理|经理|总裁|董事长|主管|老板)"
    ),
    "person": r"谁|哪位|何人|什么人|哪些人",
    # A district or a street is finer than the city a fact names.
    "venue": (
        r"地址|会场|场馆|哪个酒店|哪栋|哪座楼|在哪个厅|什么场所|"
        r"哪个区(?!域)|什么区(?!域)|哪条街|哪条路|哪个街道|门牌"
    ),
    "city": r"哪个城市|哪座城市|什么城市",
    "place": r"哪里|哪儿|什么地方|何地|何处|在哪(?![些个种方天年月一日])|地点",
    "day": (
        r"几月|具体哪一?天|具体日期|哪个月|月份|"
        r"(19|20)\d\d ?年.{0,6}(什么时候|何时|哪天|哪一天)"
    ),
    "quote": (
        r"发言|讲话|致辞|表态|(?<!稿)(?<!稿主要)(?<!文章)(?<!文章主要)(?:说了什么|说了啥|讲了什么)|表示了什么|"
        r"怎么看|如何看待|怎样看待|如何评价|怎么评价|有何看法|什么看法|称赞|赞扬|表扬|批评"
    ),
    "time": r"几点|什么时刻|具体时间|[几何]时几分|几分几秒|上午还是下午|早上还是晚上",
    "date": (
        r"什么时候|啥时候|何时|几时|哪天|哪一天|哪日|哪年|哪一年|几月|几号|日期|哪个月|多久以前|"
        r"期限|时间表|截止"
    ),
    "money": (
        r"多少钱|金额|投资额|投资多少|多少资金|多少投资|预算|规模多大|营收|营业额|利润|每股收益|盈利|股价|"
        r"成本|造价|花费|薪水|薪酬|工资|年薪"
    ),
    "number": (
        r"多少个|(?<![举说列讲给提])几个(?!例子)|几条|多少条|多少家|几家|数量|多久.{0,3}一次|频率|多少次|几次"
    ),
    "headcount": (
        r"多少人(?!口)|多少名|几名|几个人(?!口)|多少员工|多少岗位|多少就业|多少人才|多少学员|多少工程师|"
        # The measure word of people ("多少位记者", "几位嘉宾"), or a word for people after it
        # ("多少记者", "多少来宾"): a count of people, as "how many reporters".
        r"多少位|(?<!哪)几位|多少.?[者员宾客]"
    ),
    "future": r"明年|下次|下一次|下届|下个月|下一届|(?<!后的)(?<!之后)下一步",
    "age": r"多大年纪|几岁|年龄|多大岁数|出生|(?<!规模)多大了",
    "personal": (
        r"国籍|哪国人|哪里人|结婚|妻子|丈夫|老婆|家乡|老家|毕业于|哪所大学|哪个大学|学历|孩子|子女|邮箱|手机号|电话号码|"
        r"微信号|微博|开什么车|开的什么车|座驾|爱好"
    ),
    "rank": (
        r"首个(此类|这类|同类)?协议|首份(此类|这类|同类)?协议|第一个(此类|这类|同类)|"
        r"第一份(此类|这类|同类)?协议|唯一(的)?(一个|一份)?协议|此类协议中|同类协议中|"
        r"(之前|此前|以前|早先).{0,10}签过|签过.{0,4}(别的|其他|其它)?协议|(之前|此前|以前)的协议"
    ),
    "employment": (
        r"招聘|应聘|求职|投简历|简历投|实习|校招|校园招聘|应届|工作签证|签证|待遇|员工福利|空缺|薪资|起薪"
    ),
    "career": (
        r"前任|继任|接任|接班人|上一任|下一任|前一任|曾任|曾经担任|履历|简历|工作经历|职业生涯|"
        r"(之前|以前|此前)(担任|是做|做什么|做过|在哪|干什么|干过)|第一任|首任"
    ),
}
_PATTERNS = {kind: re.compile(pattern) for kind, pattern in _LATIN.items()}
_HAN_PATTERNS = {kind: re.compile(pattern) for kind, pattern in _HAN.items()}


# Where someone was born, not when: a place of his own ("born in that city?", "wo ist er geboren").
_BORN_WHERE = re.compile(
    r"\b(born|geboren) (in|im|at|auf)\b(?! (19|20)\d\d)|\b(where|wo)\b.{0,30}\b(born|geboren)\b|"
    r"出生(在|于)(?![\d一二])|(在哪|哪里|什么地方).{0,3}出生|出生地"
)


# The engine and the reasoner ask this of the same question: the last few results are kept.
@lru_cache(maxsize=16)
def asked(normalised: str) -> frozenset[Asked]:
    """The kinds of detail a normalised question asks for (empty for an open question)."""
    found: set[Asked] = set()
    for kind, pattern in _PATTERNS.items():
        if pattern.search(normalised):
            found.add(kind)
    for kind, pattern in _HAN_PATTERNS.items():
        if pattern.search(normalised):
            found.add(kind)
    if "age" in found and _BORN_WHERE.search(normalised):
        found -= {"age", "place"}  # "born in that city?", "where was he born": his own details
        found.add("personal")
    if "age" in found:
        found.difference_update({"date", "number", "money"})
    if "future" in found:
        found.difference_update({"date", "day"})
    if "headcount" in found:
        found.difference_update({"number", "person"})
    if "role_person" in found:
        found.discard("person")
    if "personal" in found:
        found.discard("place")  # "where is he from", "where did he study": his own details
    if "employment" in found:
        # "Where / when / to whom do I apply?", "投简历": the where, when and who of an application
        # (its CV no person's career) are the employment asked about.
        found.difference_update({"career", "place", "date", "day", "person", "role_person"})
    if "career" in found:
        # Who held the post before or after, or earlier posts: never given, whoever is named.
        found.difference_update({"person", "role_person", "date", "day"})
    if "day" in found:
        found.discard("date")
    if "time" in found:
        found.difference_update({"date", "money"})
    if "venue" in found:
        found.discard("place")
    if "city" in found:
        found.discard("place")
    return frozenset(found)


_ASKING = re.compile(
    "|".join(
        [
            rf"\b(?:{w})\b"
            for w in (
                "who(?:m|se)?",
                "when",
                "where",
                "wer",
                "wem",
                "wen",
                "wann",
                "wo",
                "since when",
                "seit wann",
            )
        ]
        + list(_HAN.values())
    )
)


def asking(normalised: str) -> str:
    """Only the asking words of a normalised question ("how many lines are there" -> "how many"),
    each short phrase that says what kind of detail it asks for."""
    spans = {
        found.group(0).strip()
        for pattern in (*_PATTERNS.values(), *_HAN_PATTERNS.values())
        for found in pattern.finditer(normalised)
        if len(found.group(0)) <= _ASKING_SPAN
    }
    return " ".join(sorted(spans, key=normalised.find))


_ASKING_SPAN = 16  # longer matches ("who ... led") carry the question's subject too


def unasked(normalised: str) -> str:
    """A normalised question without its asking words ("who signed it" -> "signed it")."""
    return " ".join(_ASKING.sub(" ", normalised).split())


# Details that no fact of a release like this one gives: the honest answer needs no close match.
NEVER_GIVEN: frozenset[Asked] = frozenset(
    {"time", "venue", "age", "personal", "career", "employment", "rank"}
)


# A question after the particulars of something a fact names only in general: its names, exactly
# which ones ("Wie heißen die Rechenzentren?", "which lines exactly", "叫什么名字").
_PARTICULARS = re.compile(
    r"\b(names?|called|which ones|exactly which|which exactly|specifically which|which specific|"
    r"wie heiss\w*|namen|genau welche|welche genau|welche konkret\w*|konkret welche|welche einzelnen)\b|"
    r"\b(which|welche[nrs]?)\b.{0,30}\b(exactly|genau)\b|"
    r"叫什么|叫啥|名字|名称|具体是哪|具体哪|哪几|分别是"
)


# A question after more people than a fact names ("who else attended", "wer war noch dabei",
# "还有谁"): a release names everyone it names.
_OTHERS = re.compile(
    r"\b(who else|anyone else|anybody else|someone else|any other (people|persons|executives|officials|"
    r"managers|board members|representatives|guests)|other (people|persons|executives|officials|managers|"
    r"board members|representatives|guests))\b|\bwer( \w+)? (sonst|noch|ausserdem)\b(?! ?(mal|einmal)\b)|"
    r"\b(weitere|andere) (personen|vertreter\w*|manager\w*|vorstande|vorstandsmitglieder|teilnehmer\w*|"
    r"gaste|offizielle)\b|还有谁|还有哪些人|还有什么人|其他人|其他(高管|领导|官员|代表|嘉宾)|另外还有谁|"
    # Officials of a country's government ("any German officials", "ausländische Politiker", "外国官员"):
    # others than those named, who are a city's officials and a company's people. Not its guests or
    # representatives: a company's chief from abroad is one ("any German representatives?").
    r"\b(german|american|us|european|eu|french|british|japanese|korean|foreign|federal|overseas)"
    r"( government| federal| state)? (officials?|politicians?|ministers?|diplomats?|ambassadors?)\b|"
    r"\b(german|american|us|european|eu|french|british|japanese|korean|foreign|federal) government "
    r"(representatives?|delegat\w*)\b|"
    r"\b(deutsch|amerikanisch|europaisch|franzosisch|britisch|japanisch|auslandisch)e[nr]? "
    r"(politiker\w*|minister\w*|beamte\w*|offizielle\w*|diplomat\w*|regierungsvertreter\w*|"
    r"botschafter\w*)\b|"
    r"(德国|美国|欧洲|欧盟|法国|英国|日本|外国|国外)(政府)?(官员|部长|外交官|大使)|"
    r"(德国|美国|欧洲|欧盟|法国|英国|日本|外国)政府(代表|代表团|领导)|"
    # Roles at the ceremony the release names no one in (organiser, host, interpreter, ministers,
    # journalists), and titles no one it names holds (CFO): others than those it names.
    r"\b(who|wer)\b.{0,40}\b(organi[sz]\w*|host(ed|s)?(?! (city|cities|government|side|country|party))|"
    r"translat\w*|interpret\w*|moderat\w*|emcee|"
    r"organisiert\w*|ausgerichtet|veranstaltet|ubersetzt\w*|gedolmetscht|dolmetsch\w*|moderiert\w*)\b|"
    r"\b(which|any|welche[rn]?) (ministers?|minister|journalists?|journalist\w*|reporters?|reporter\w*)\b|"
    r"\b(journalists?|reporters?|journalist\w*)\b.{0,30}\b(attend\w*|present|there|anwesend|dabei)\b|"
    r"\b(who|wer)\b.{0,40}\b(cfo|coo|cto|chief (financial|operating|technology) officer|finanzvorstand|"
    r"finanzchef|supervisory board|aufsichtsrat\w*)\b|"
    r"谁组织|组织者|主办方|谁主办|主持人|谁(负责)?翻译|翻译是谁|记者(在场|出席|参加|到场)|哪些记者|有记者|"
    r"哪位部长|哪些部长|(首席财务官|财务总监)是谁|谁是(首席财务官|财务总监)|监事会"
)


# A question after organisations besides the parties ("which other companies took part", "welche
# anderen Firmen", "其他企业"): a release names every party it names.
_OTHER_ORGS = re.compile(
    # Plural, or "any other": "the other partner" is the other party, named by the release.
    # "Which other foreign companies": a kind of company between "other" and the noun.
    r"\b(other|further|additional)( (foreign|international|multinational|global|western|european|german|"
    r"chinese|local|private))? (companies|firms|businesses|enterprises|corporations|organi[sz]ations|"
    r"partners|partner companies|multinationals|investors|suppliers)\b|"
    r"\bany other (company|firm|business|enterprise|corporation|organi[sz]ation|partner)s?\b|"
    r"\b(companies|firms|businesses|organi[sz]ations) (besides|apart from|other than|except)\b|"
    r"\b(weitere|sonstige)[n]? (unternehmen|firmen|konzerne|partner\w*|organisationen|zulieferer|"
    r"investoren)\b|\bandere[n]?( (auslandische[n]?|internationale[n]?|deutsche[n]?|chinesische[n]?))? "
    r"(firmen|konzerne|organisationen|zulieferer|investoren|unternehmen)\b|"
    # "别的外企", "其他跨国公司": foreign and multinational companies are companies too.
    r"(其他|其它|别的)(公司|企业|厂商|合作伙伴|机构|伙伴|投资方|外企|外资企业|外资公司|跨国公司|跨国企业|外国企业|"
    r"外国公司)|还有哪些(公司|企业|外企)|还有什么(公司|企业|外企)"
)


# A question after places or deals besides the release's own ("other Chinese cities", "similar
# agreements", "andere Städte", "其他城市"): a release names the one agreement it reports.
_OTHER_PLACES = re.compile(
    r"\b(other|further|additional|more)( (chinese|german|western|eastern|major|big))? (cities|provinces|"
    r"regions|municipalities|countries)\b|\b(similar|comparable|further|other) (agreements|deals|"
    r"partnerships|contracts|frameworks)\b|\b(weitere|andere|ahnliche|vergleichbare)[n]? (stadte|provinzen|"
    r"regionen|lander|vereinbarungen|abkommen|vertrage|partnerschaften)\b|"
    r"(其他|其它|别的)(城市|省份|省市|地区|国家)|类似的?(协议|合作)"
)


def asks_other_places(normalised: str) -> bool:
    """True when a normalised question asks for places or agreements besides the release's own."""
    return _OTHER_PLACES.search(normalised) is not None


def asks_other_orgs(normalised: str) -> bool:
    """True when a normalised question asks for companies or organisations besides the parties."""
    return _OTHER_ORGS.search(normalised) is not None


def asks_others(normalised: str) -> bool:
    """True when a normalised question asks for people besides those it knows of."""
    return _OTHERS.search(normalised) is not None


# A message that tries to set the bot's rules aside or draw out its secrets ("ignore your rules",
# "vergiss deine Anweisungen", "无视规则", "your password", "系统提示词"): no small talk answers it.
_OVERRIDE = re.compile(
    r"\b(ignore|disregard|forget|bypass|override)\b.{0,30}\b(instructions?|rules|guidelines|prompts?|"
    r"restrictions|programming)\b|\bsystem prompt\b|\bjailbreak\w*|\bdeveloper mode\b|"
    r"\b(your|the bot s|deine?n?|ihre?n?) (password|passwort|kennwort|api key|token|secret|geheimnis)\b|"
    r"\b(ignorier\w*|vergiss|vergessen|missachte\w*|umgeh\w*)\b.{0,30}\b(anweisungen|regeln|vorgaben|"
    r"instruktionen|prompts?)\b|\bsystemprompt\b|"
    r"(无视|忽略|忽视|忘掉|忘记|绕过|不要管)[^，。？！]{0,8}(规则|指令|指示|设定|限制|提示)|密码|口令|系统提示|提示词"
)


def overrides(normalised: str) -> bool:
    """True for a message that tries to set the bot's rules aside or draw out its secrets."""
    return _OVERRIDE.search(normalised) is not None


# Advice asked for the asker's own money ("Should I invest in <company> then?", "Soll ich jetzt
# Aktien kaufen?", "我应该买股票吗"): no release answers it, whatever it names.
_ADVICE = re.compile(
    r"\b(?:should|shall|could|would) (?:i|we) (?:now |then |still |also )?(?:buy|sell|invest|hold|short)\b|"
    r"\b(?:is it|would it be|is now) (?:a )?(?:good|wise|smart|the right) (?:time |idea |moment )?"
    r"(?:to )?(?:buy|sell|invest)\b|\bworth (?:buying|investing|an investment)\b|"
    r"\b(?:do you recommend|would you recommend) (?:buying|investing|selling)\b|"
    r"\b(?:soll|sollte|sollten|kann|konnte) (?:ich|wir) .{0,40}?\b(?:kaufen|verkaufen|investieren|"
    r"einsteigen|halten)\b|\blohnt (?:es )?sich\b.{0,30}\b(?:kauf\w*|invest\w*|aktie\w*|einstieg)\b|"
    r"(?:我|我们)(?:现在)?(?:应该|该|要不要|需不需要)(?:买|卖|投资|入手|抄底|加仓)|值得(?:买|投资|入手)"
)


# A superlative a claim puts on a fact ("So it becomes the most important centre?", "最大的制造业
# 中心？"): where the fact's own words hold none, the claim says more than the release.
_SUPERLATIVE = re.compile(
    # (Not "most recent", "most likely", "most of", nor "the most <someone> has done".)
    r"\b(?:the )?(?:most (?!(?:senior|recent\w*|likely|of|latest)\b)\w+"
    r"(?! (?:has|have|had|did|does|can|could)\b)|"
    r"largest|biggest|greatest|number one)\b|"
    r"\b(?:wichtigste\w*|grosste\w*|bedeutendste\w*)\b|"
    r"最大|最重要|最主要|第一大|最好|最先进|龙头"
)
# A claim put back as a question ("So ...?", "Also ...?", "也就是说……？", "即是说……？").
CLAIMED_LATIN = r"^(?:so|also|then|dann|ok so)\b"
_CLAIMED = re.compile(CLAIMED_LATIN + r"|^(?:也就是说|即是说|即是說|所以说|所以)")


# "Which is the biggest project?", "Welches ist das wichtigste Projekt?", "最大的项目是哪个？": an open
# question that takes a ranking for granted.
_WORD_AS_TYPED = re.compile(r"[^\W\d_]+")
_WHICH_MOST = re.compile(r"^(?:which|what)\b|^(?:welche\w*|was)\b|哪|什么")


# Claims a fact may not bear out, each a kind whose word the fact's own text must hold: a rank
# ("the most important"), running a thing (the release may say only "supports building it"),
# doing it alone.
_OPERATES = re.compile(
    # (Not "operates as", nor running its own unit: "operates a branch", "betreibt X eine Niederlassung".)
    r"\b(?:operat(?:es|ed|ing|e)|runs|owns|betreib\w*|bewirtschaft\w*)\b"
    r"(?! as\b)(?! (?:\w+ )?(?:a |an |the |its |eine |einen |ein |seine |ihre )?(?:branch|office|subsidiary|"
    r"company|business|niederlassung|buro|filiale|tochter\w*|firma)\b)|"
    r"负责运营|运营|营运|營運|经营|經營"
)
_ALONE = re.compile(
    r"\b(?:alone|on (?:its|their) own|by itself|single handedly|allein|im alleingang)\b|独自|单独|獨自|單獨"
)
_CLAIM_KINDS: tuple[tuple[re.Pattern[str], bool], ...] = (
    (_SUPERLATIVE, True),
    (_OPERATES, False),
    (_ALONE, False),
)


# One of several things pointed at, and nothing else ("and the later one?", "the latter", "后者呢"):
# no farewell, though "later" reads as one.
_ONE_OF = re.compile(
    r"^(?:and |und |so |also |what about |und was ist mit )?(?:the |der |die |das )?(?:later|earlier|latter|"
    r"former|other|older|newer|second|first|last|spatere|fruhere|andere|zweite|erste|letzte)[nrs]?"
    r"(?: one| date| event| year)?$|^(?:那)?(?:后者|前者|另一个|第二个|后一个|前一个)(?:呢)?$"
)


def points_at_one(normalised: str) -> bool:
    """True for a message that only points at one of several things ("and the later one?")."""
    return _ONE_OF.search(normalised.strip()) is not None


def superlative_in(normalised: str) -> bool:
    """True when a normalised text holds a superlative ("the most important", "größte", "最大")."""
    return _SUPERLATIVE.search(normalised) is not None


def claimed_beyond(
    question: str, normalised: str, yesno: bool, said: str, of_list: bool = False
) -> str | None:
    """The word of a claim (a yes/no question or a claim put back) that the normalised text `said`
    does not bear out, as typed ("größte", "betreibt"), or None: a superlative (also in a question
    of which one is the most ..., where `of_list`: it names a list of the facts), running a thing,
    doing it alone."""
    claim = yesno or _CLAIMED.search(normalised) is not None
    which = of_list and _WHICH_MOST.search(normalised) is not None
    for pattern, in_which in _CLAIM_KINDS:
        if not (claim or (in_which and which)):
            continue
        found = pattern.search(normalised)
        if found is not None and pattern.search(said) is None:
            typed = {normalise(w): w for w in _WORD_AS_TYPED.findall(question)}
            return " ".join(typed.get(w, w) for w in found.group(0).split())
    return None


def advice_asked(normalised: str) -> bool:
    """True for a message that asks for investment advice."""
    return _ADVICE.search(normalised) is not None


# Whom a question asks the meaning of something for ("what does it mean for the workers", "was
# bringt das den Bürgern", "对市民意味着什么"): the words naming them.
_AUDIENCE = re.compile(
    r"\b(?:mean|means|meaning|impact|implications?|benefits?|change)\b.{0,30}?\bfor (?:the |local |"
    r"ordinary |its |all )?(?P<en>[a-z]+(?: [a-z]+)?)|"
    r"\b(?:bedeutet|bedeuten|bedeutung|heisst|bringt|bringen|andert)\b.{0,40}?\bfur (?:die |den |das |"
    r"der |dem |alle )?(?P<de>[a-z]+(?: [a-z]+)?)|"
    r"对(?:于)?(?P<zh>[\u4e00-\u9fff]{1,8}?)(?:来说|而言)?(?:意味着|有(?:什么|何|哪些)(?:影响|意义|好处))"
)


def audience(normalised: str) -> str | None:
    """Whom a question asks the meaning of something for, as it names them, or None."""
    found = _AUDIENCE.search(normalised)
    if found is None:
        return None
    return found.group("en") or found.group("de") or found.group("zh")


def particulars(normalised: str) -> bool:
    """True when a normalised question asks for names or exactly which ones."""
    return _PARTICULARS.search(normalised) is not None


def missing(kinds: frozenset[Asked], provides: frozenset[AnswerType]) -> frozenset[Asked]:
    """The asked kinds that an intent providing `provides` cannot answer."""
    return frozenset(k for k in kinds if not SATISFIED_BY[k] & provides)


# A day or a month in an answer: "20 June", "June 20", "20. Juni", "6月20日", "6月".
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "januar|februar|marz|mai|juni|juli|oktober|dezember"
)
_DAY_RE = re.compile(rf"\b({_MONTHS})\b|\d{{1,2}} ?月")


def gives_day(normalised_answer: str) -> bool:
    """True when a normalised answer names a month or a day, not only years."""
    return bool(_DAY_RE.search(normalised_answer))


# -- clauses -----------------------------------------------------------------------------------

# Numbered asks: "...: first, the date; second, who signed; third, ...", "一是……，二是……".
_NUMBERED = (
    r"[,;:]\s*(?:first(?:ly)?|second(?:ly)?|third(?:ly)?|fourth(?:ly)?|erstens|zweitens|drittens|viertens)"
    r"\s*[,:]\s*|[，；：、,;:]\s*(?:第[一二三四](?![次个年位天批期家条名届])|其[一二三四]|[一二三四]是)[，、：:,]?\s*"
)
_NUMBERED_RE = re.compile(_NUMBERED, re.IGNORECASE)
# Where a question asks two things: "... and who ...", "..., und wann ...", "……，谁……".
_SPLIT = re.compile(
    r"\s(?:and|und|sowie|also|plus)\s+(?=(?:who|whom|when|where|what|which|how|why|since|did|does|is|"
    r"was|were|are|wer|wann|wo|was|welche\w*|wie|warum|seit|hat|ist|sind|gibt)\b)|"
    r"[,;]\s*(?=(?:and\s|und\s)?(?:(?:on|in|at|by|for|with|from|an|am|um|mit|von|seit|in)\s)?"
    r"(?:who|when|where|what|which|how|why|wer|wann|wo|was|welche\w*|wie|warum)\b)|[，；、]\s*(?=(?:还有|以及|另外|并且)?.{0,8}(?:谁|什么时候|啥时候|何时|哪|多少|几|为什么|为啥|是否|是不是|"
    r"期限|有效期|怎么回事))|"
    r"(?<=[?？])\s*(?=\S)|\s[+&]\s|"
    # A statement, then a question: "X signed for the company. Who signed for the city?"
    r"(?<=[a-z][.!])\s+(?=(?i:(?:and\s|und\s)?(?:who|when|where|what|which|how|why|wer|wann|wo|was|welche\w*|wie|warum)\b))|"
    r"(?<=[。！])(?=.{0,8}(?:谁|什么时候|啥时候|何时|哪|多少|几|为什么|为啥))"
)
# A person or thing set aside before the question ("Apart from X, who else ...?", "除了X，还有谁……？").
# (The words also serve the check of who else did a deed, bot.core.reasoning.people.)
BESIDES_WORDS = r"apart from|besides|except for|except|other than|aside from|ausser|außer|abgesehen von|neben"
_BESIDES_LEAD = re.compile(rf"^(?:(?:{BESIDES_WORDS})\b|除了)", re.IGNORECASE)
# A deed of the signing ("signed", "Zeuge", "见证"): who else did it is one question.
_DEED_WORD = re.compile(r"\b(?:sign\w*|witness\w*|unterschr\w*|unterzeichn\w*|zeuge\w*)|签|见证|見證|簽")
_MIN_PART_CHARS = 4
_MIN_HAN_PART = 3  # "谁签的" is a whole question
# "Who witnessed, who signed and when?" (and a closing "please explain"): more pieces than this
# are a list, not questions.
_MAX_PARTS = 4


# Two question words that share one clause: "When and with whom did ...", "Wann und wo wurde ...".
_PAIRED = re.compile(
    r"^\s*(?P<a>when|where|who|why|wann|wo|wer|warum)\s+(?:and|und|&)\s+"
    r"(?P<b>(?:(?:with|by|from|for|mit|von|fur|für)\s+)?(?:whom|who|when|where|why|wem|wen|wer|wann|wo|warum))"
    r"\s+(?P<rest>\S.*)$",
    re.IGNORECASE,
)


# Several things asked with one verb: "Tell me the areas, the date and the signatory", "Nenne mir
# Datum, Ort und Unterzeichner", "签约时间、地点和签约人分别是什么": each thing with the verb.
_ENUM_LEAD = re.compile(
    r"^(?P<lead>(?:please |bitte )?(?:(?:can|could) you )?(?:tell me|give me|i need|list|name|"
    r"what (?:are|were|is|was)|nenne(?:n sie)?(?: mir)?|sagen sie mir|sag mir|ich brauche|"
    r"was (?:sind|waren|ist|war))\s+)(?P<items>.+?)[\s?.!]*$",
    re.IGNORECASE,
)
_ENUM_SEP = re.compile(r"\s*,\s*(?:(?:and|und|&)\s+)?|\s+(?:and|und|&)\s+")
_ENUM_HAN = re.compile(
    r"^(?:请问|请告诉我|请说明|請問|請告訴我|請說明)?(?P<items>[^，。？?]+?)"
    r"(?P<pred>(?:分别|各自|分別)?(?:是什么|是谁|是哪些|是多少|在哪里|是哪里|是什麼|是誰|在哪裡|是哪裡))[？?]?$"
)
_ENUM_HAN_SEP = re.compile(r"、|以及|和|与|及|與")
# What a 是谁 ("who") cannot ask of: a time, a place, a thing ("签约时间是谁" asks nothing).
_NOT_A_WHO = re.compile(r"时间|時間|日期|地点|地點|时候|時候|哪天|领域|領域|目标|目標|内容|內容")
_ENUM_QUESTION_WORD = re.compile(
    r"\b(who|whom|when|where|what|which|how|why|wer|wann|wo|was|welche\w*|wie|warum|is|are|was|were|"
    r"did|does|ist|sind|hat|wurde)\b",
    re.IGNORECASE,
)
_ENUM_ITEM_WORDS = 6
_ENUM_OF = re.compile(r"\s(?:of|for|der|des|von|zur|zum)\s.+$", re.IGNORECASE)
_ENUM_COURTESY = re.compile(r"(?i)please|bitte|thanks?|thank you|danke|pls")
# A list inside a phrase ("the goal of A, B and C", "between A, B and C"): one thing, several owners.
_ENUM_INSIDE = re.compile(r"(?i)\b(?:of|von|between|zwischen|for|für|fur|with|mit|by|among|unter|des|der)\b")
_ENUM_OWNER = re.compile(r"^(?P<owner>.+?(?:'s|’s|s'))\s")


def enumerated(clean: str) -> list[str]:
    """The asks of a message that lists three or more things after one verb, each with the verb;
    else [] (see _enumerated)."""
    return list(_enumerated(clean))


# The engine asks this before the parts (one list's items are its fact), parts() again: kept.
@lru_cache(maxsize=16)
def _enumerated(clean: str) -> tuple[str, ...]:
    """The asks of a message that lists three or more things after one verb (two are often a
    thing and what qualifies it: "X's aim, according to Y"), each with the verb; else []."""
    lead = _ENUM_LEAD.match(clean)
    if lead is not None:
        text = lead["items"]
        items = [i.strip() for i in _ENUM_SEP.split(text) if i.strip()]
        items = [i for i in items if not _ENUM_COURTESY.fullmatch(i)]
        if any(_ENUM_INSIDE.search(i) for i in items[:-1]):
            return ()
        owner = _ENUM_OWNER.match(items[0]) if items else None
        if owner is not None:  # "<person>'s title, role and organisation": theirs, each
            items = [items[0], *(i if len(i.split()) > 1 else f"{owner['owner']} {i}" for i in items[1:])]
        if len(items) >= 3 and all(
            len(i.split()) <= _ENUM_ITEM_WORDS and not _ENUM_QUESTION_WORD.search(i) for i in items
        ):
            # "the date, the place and the time of the signing": what the last names, all name.
            of = _ENUM_OF.search(items[-1])
            if of is not None:
                items = [i if _ENUM_OF.search(i) else f"{i} {of.group(0).strip()}" for i in items]
            return tuple(f"{lead['lead']}{i}" for i in items)[:_MAX_PARTS]
        return ()
    han = _ENUM_HAN.match(clean.replace(" ", ""))
    if han is not None:
        items = [i for i in _ENUM_HAN_SEP.split(han["items"]) if i]
        listed = han["items"].count("、") >= 1 and len(items) >= 2
        if (
            (listed or "分" in han["pred"])
            and 2 <= len(items) <= _MAX_PARTS
            and all(len(i) <= 12 for i in items)
        ):
            pred = han["pred"].replace("分别", "").replace("分別", "").replace("各自", "")
            what = "是什麼" if "誰" in pred else "是什么"
            return tuple(
                f"{i}{what if pred in ('是谁', '是誰') and _NOT_A_WHO.search(i) else pred}" for i in items
            )
    return ()


# The end of a question inside a message: what follows is another question.
_QUESTION_END = re.compile(r"(?<=[?？])\s*(?=\S)")


def parts(clean: str) -> list[str]:
    """The questions of a message that asks two or three things, else [] (one, or more than three)."""
    first, *after = _QUESTION_END.split(clean, maxsplit=1)
    paired = _PAIRED.match(first)
    if paired is not None:
        # The two question words share the first question only: "When and with whom was it
        # signed? And who was there?" asks three things.
        rest = paired["rest"].strip(" ?？")
        shared = [f"{paired['a']} {rest}", f"{paired['b']} {rest}"]
        more = parts(after[0]) or [after[0].strip(" ,;，；、?？")] if after else []
        pieces = shared + [p for p in more if len(p) >= _MIN_PART_CHARS]
        return pieces if len(pieces) <= _MAX_PARTS else []
    listed = enumerated(clean)
    if listed:
        return listed
    if numbered(clean):
        # Each numbered ask is a part; what comes before the first ("I need four things") is none.
        first = _NUMBERED_RE.search(clean)
        assert first is not None
        pieces = [p.strip(" ,;，；、?？") for p in _NUMBERED_RE.split(clean[first.start() :])]
    else:
        pieces = [p.strip(" ,;，；、?？") for p in _SPLIT.split(clean)]
    pieces = [
        p
        for p in pieces
        if (len(p) >= _MIN_PART_CHARS or (len(p) >= _MIN_HAN_PART and is_han(p[0]))) and not _REQUEST.match(p)
    ]
    if _BESIDES_LEAD.match(pieces[0] if pieces else "") and _DEED_WORD.search(clean.lower()):
        return []  # "Apart from X, who else signed?": one question, X set aside
    if any(_IN_ROLE_LEAD.match(p) for p in pieces[:-1]):
        return []  # "身为X，……？", "As X, why ...?": a role given to the subject, no question of its own
    return pieces if 2 <= len(pieces) <= _MAX_PARTS else []


# A request that only hands over to the question after it ("Könnten Sie mir bitte sagen, wer ...",
# "Can you tell me, when ...", "请问，……"): no question of its own.
_REQUEST = re.compile(
    r"^(?:(?:please|bitte|hi|hello|hallo)\s+)?(?:(?:can|could|would) you (?:please |kindly )?"
    r"(?:tell|let) (?:me|us)(?: know)?|(?:please )?tell (?:me|us)|i(?:'d| would) like to know|i want to know|"
    r"(?:k[öo]nnen|k[öo]nnten|w[üu]rden) sie (?:mir |uns )?(?:bitte )?(?:sagen|mitteilen|erkl[äa]ren|"
    r"best[äa]tigen)|sag(?:en sie)? (?:mir|uns)|ich (?:m[öo]chte|w[üu]rde) (?:gerne? )?wissen|"
    r"mich w[üu]rde interessieren)(?: please| bitte)?$|^(?:请问|请告诉我|我想知道|想知道|請問|請告訴我)$",
    re.IGNORECASE,
)


# A clause that only gives the subject a role before the question ("身为公司总裁，他为什么……",
# "As the mayor, why did ...", "Als Bürgermeister, ...").
_IN_ROLE_LEAD = re.compile(
    r"(?:身为|作为|身為|作為)|(?i:as|als|in (?:his|her|seiner|ihrer) (?:role|rolle) als?)\b(?! well\b)"
)


# Clause boundaries of a framed question: punctuation (not the enumeration comma "、": "谁签的、
# 啥时候签的" lists asks), and the phrases that hand over to the real question ("can you confirm",
# "könnten Sie mir sagen", "请问").
_CLAUSE = re.compile(
    # A hyphen between spaces is a dash typed without the key for one ("the ceremony - on which date").
    r"[,;:–—]\s+|\s-\s+|[，；：]|\b(?:can|could|would) you (?:please )?(?:confirm|tell me|say)\b|"
    r"\b(?:k[öo]nnen|k[öo]nnten|w[üu]rden) sie (?:mir )?(?:bitte )?(?:best[äa]tigen|sagen|mitteilen)\b|"
    r"\bbitte teilen sie mir mit\b|请问|想问一下|想了解一下|請問|想問一下|想瞭解一下|"
    # A question reported for someone else: "my boss wants to know whether ...", "she asked if ...",
    # "mein Chef möchte wissen, ob ...".
    r"\b(?:wants?|wanted|would like|needs?|asked|asks|is asking|was asking|wonders?|wondered|"
    r"(?:is|was|are) wondering) (?:me |us |to know |to find out |to check )?(?:whether|if)\b|"
    r"\b(?:m[öo]chte|will|wollte|m[öo]chten|wollen) (?:gerne |gern )?wissen,? ob\b|\bfragt(?:e|en)?,? ob\b",
    re.IGNORECASE,  # read on the message as typed: "Could you tell me", "Könnten Sie mir sagen"
)
_MIN_TAIL_WORDS = 3
_MIN_TAIL_HAN = 5
_LONG_QUESTION = 60  # characters (a Han one counts twice: it says a word): shorter ones are read whole


# A clause that only sets a condition or gives a reason ("..., wenn eine Seite ...", "..., because
# ...", "……，如果……"): the question is before it. English "when" and "if" also ask ("..., when was
# it signed?", "can you tell me if ..."), so they are not among them.
_CONDITION = re.compile(
    r"(?i:(?:wenn|falls|sofern|solange|sobald|weil|obwohl|because|unless|although|in case|provided)\b)|"
    r"如果|假如|假设|要是|万一|一旦|因为|虽然"
)
# A sentence boundary inside a long message ("... memo. Our people would like to know who ...");
# the sentence after it is a tail only when it asks for a kind of detail (who, when, ...).
_SENTENCE = re.compile(r"(?<=[a-z)][.!])\s+(?=[A-Z])")


# What a clause that only points back is made of ("and who are they?", "und wer sind sie?",
# "他们分别是谁"): besides its asking words, pronouns and linking words alone.
_POINTING_WORDS = frozenset(
    """and or but so then also who what which are is was were they them those these it he she his
    her their und oder aber dann auch wer was welche sind ist war waren sie die diese der das es er
    ihr ihre""".split()
)
_POINTING_HAN = re.compile(
    r"他们|她们|它们|他|她|它|这些|那些|这|那|是|都|分别|各自|呢|吗|还|又|和|谁|哪些|哪位|什么"
)


def points_back(clause: str) -> bool:
    """True for a clause that names nothing of its own, only pronouns for what an earlier clause
    names ("and who are they?"): it cannot be read alone."""
    text = normalise(clause)
    words = re.findall(r"[a-z]+", text)
    han = _POINTING_HAN.sub("", "".join(ch for ch in text if is_han(ch)))
    return not han and all(w in _POINTING_WORDS for w in words)


# A pronoun for a person ("what did he say", "was hat er gesagt", "他说了什么").
_PERSON_PRONOUN = re.compile(
    r"\b(?:he|him|his|she|her|er|ihm|ihn|sein|seine|seinen|seinem|seiner)\b|他(?!们)|她(?!们)"
)


def has_person_pronoun(text: str) -> bool:
    """True when a text holds a pronoun for a person ("he", "sein", "他")."""
    return _PERSON_PRONOUN.search(text) is not None


def with_name(piece: str, cues: Sequence[str]) -> str:
    """A question with the one of `cues` (a person's names) written in its script for its first
    pronoun for a person; the question as it is when none is."""
    han = any(is_han(ch) for ch in piece)
    cue = next((c for c in cues if is_han(c[0]) == han), None)
    return with_person(piece, cue) if cue else piece


def with_person(piece: str, name: str) -> str:
    """A question with `name` for its first pronoun for a person ("what did he say?" with the name
    of the person an earlier part names); the question as it is when it has none."""
    return _PERSON_PRONOUN.sub(name, piece, count=1)


def numbered(clean: str) -> bool:
    """True when a message numbers its asks ("first, ...; second, ..."): each is a part."""
    return len(_NUMBERED_RE.findall(clean)) >= 2


def _last_question(rest: str) -> bool:
    """True for the last sentence of a message when it opens with a question word and ends with a
    question mark ("... Ein Kollege meint, es war die Firma. Welche Projekte hat sie dort gebaut?"):
    the story before it is its frame (not "Was it already there then?": a yes/no leans on it)."""
    return (
        rest.rstrip().endswith(("?", "？"))
        and _SENTENCE.search(rest) is None
        and _WH_OPENING.match(normalise(rest)) is not None
    )


# Not German "was": the English "was" opens a yes/no question.
_WH_OPENING = re.compile(
    r"(?:and |und )?(?:what|which|who|whom|whose|when|where|how|why|welche\w*|wer|wem|wen|wann|wo|"
    r"wie|warum|wieso|weshalb)\b"
)


def tails(clean: str) -> list[str]:
    """The text after each clause boundary of a long question, longest first; none that only
    points back to what the clauses before it name."""
    if len(clean) + sum(1 for ch in clean if is_han(ch)) < _LONG_QUESTION:
        return []
    out = []
    ends = sorted(
        [found.end() for found in _CLAUSE.finditer(clean)]
        + [
            found.end()
            for found in _SENTENCE.finditer(clean)
            if asked(normalise(clean[found.end() :])) or _last_question(clean[found.end() :])
        ]
    )
    for end in ends:
        tail = clean[end:].strip()
        if _CONDITION.match(tail):
            continue  # "What happens, if one side breaks it?": the condition asks nothing itself
        han = sum(1 for ch in tail if is_han(ch))
        if (len(tail.split()) >= _MIN_TAIL_WORDS or han >= _MIN_TAIL_HAN) and not points_back(tail):
            out.append(tail)
    return out


# A closing formula and what follows it (a name): "Kind regards, J. Doe", "Mit freundlichen Grüßen
# ...", "此致敬礼". It asks nothing, and a name in it would be read as part of the last question.
_SIGN_OFF = re.compile(
    r"[.!?？。！,\n]\s*(?:(?:with |many |warm(?:est)? |best |kind(?:est)? )?regards|best wishes|"
    r"(?:yours )?(?:sincerely|faithfully|truly)|cheers|(?:mit )?(?:freundlichen?|herzlichen?|beste[nm]?|"
    r"liebe[nm]?|viele[nm]?|schone[nm]?) gr(?:ü|ue|u)(?:ß|ss|s)(?:e|en)?|(?:freundliche|herzliche|beste|"
    r"liebe|viele|schone) gr(?:ü|ue|u)(?:ß|ss|s)e|gr(?:ü|ue|u)(?:ß|ss)(?=\s*[,\n])|hochachtungsvoll|"
    r"respectfully|all the best|best(?=\s*[,\n])|mfg|lg|vg|bg|此致(?:敬礼)?|敬禮|[顺順][颂頌祝]商祺|祝好|"
    r"敬上)\b"
    r"[\s\S]{0,80}$",
    re.IGNORECASE,
)


# Thanks after the question ("...? Thanks a lot, Priya (2nd year)", or after a request that ends
# in a full stop): a sign-off too, when nothing after it asks again (thanks before the question is
# part of its frame).
_THANKS = re.compile(
    r"(?<=[?？.!。])\s*(?:(?:many |a lot of )?thanks|thank you|thx|ta|cheers|"
    r"(?:vielen |besten |herzlichen )?dank|danke|谢谢|多谢|感谢|謝謝|多謝|感謝|唔该|唔該)\b[^?？]{0,80}$",
    re.IGNORECASE,
)


def without_sign_off(clean: str) -> str:
    """A message without its closing formula and signature; the whole when nothing is left."""
    found = _SIGN_OFF.search(clean)
    if found is not None:
        rest = clean[: found.start() + 1].strip(" ,\n")
    elif (thanks := _THANKS.search(clean)) is not None:
        rest = clean[: thanks.start()].strip(" ,\n")
    else:
        return clean
    return _or_whole(rest, clean)


def _or_whole(rest: str, clean: str) -> str:
    """What is left of a message once a frame is taken out, or the whole when too little is left."""
    return rest if len(rest) >= _MIN_PART_CHARS else clean


# Sounds of hesitation and sentence particles of speech ("ähm", "mhm", "erm", Singapore's "lah"):
# they say nothing, yet a word no fact uses weighs as much as the rarest one. Not "um" (German
# "around") nor "ah"/"oh" (they start real questions: "ah, and who signed?" keeps its sense anyway).
_FILLERS = re.compile(
    r"(?<![\w'-])(?:ä+h+m*|ö+h+m*|e+h+m+|hm+|m+hm+|u+h+m*|u+m{2,}|e+r+m+|lah|leh|lor|meh)(?![\w'-])[,.…]*",
    re.IGNORECASE,
)


def without_fillers(clean: str) -> str:
    """A message without its sounds of hesitation ("mhm und wer ..." -> "und wer ..."); the whole
    when nothing else is left."""
    return _or_whole(" ".join(_FILLERS.sub(" ", clean).split()), clean)


# Where the asker says the answer is to come from ("according to the press release", "laut
# Pressemitteilung", "根据新闻稿"): the source every answer has, not the release as an event
# ("According to the release, when was it signed?" asks for the signing, not the publication).
_SOURCE = re.compile(
    r"(?:\b(?:according to|as per|as stated in|as reported in|as described in)\s+(?:the\s+|this\s+|your\s+)?"
    r"(?:press\s+release|release|announcement|statement|press\s+statement|news|text|article)\b"
    # ... and a part of it named at the end of the question ("according to the release's goal
    # statement?", "as per the announcement's second paragraph").
    r"(?:(?:'s|’s)(?:\s+[a-z]+){1,3}?(?=\s*(?:[,.;:?!]|$)))?"
    r"|\b(?:laut|gem(?:ä|ae|a)(?:ß|ss)|nach\s+angaben)\s+(?:der\s+|dem\s+|des\s+)?(?:presse)?"
    r"(?:mitteilung|meldung|text|bericht|artikel)s?\b"
    r"|\b(?:der|dem)\s+(?:presse)?(?:mitteilung|meldung)\s+zufolge\b"
    r"|(?:根据|根據|依据|依據|按照|据|據)(?:这篇|這篇|该|該|此)?(?:新闻稿|新聞稿|通稿|公告|报道|報道)"
    r"(?:所说|所說|所述|内容|內容|中|里|裡)?)\s*[,，:：]?\s*",
    re.IGNORECASE,
)


# The asker's own draft as the frame of a claim ("I'm checking my piece. I wrote: X – correct?",
# "Ich habe geschrieben, dass X. Stimmt das?", "我写的是：X，对吗？"): X is the claim; the draft
# is no thing asked about.
_DRAFT = re.compile(
    r"^[^?？]{0,120}?(?:\bI(?: have|'ve)? (?:wrote|written|put|noted)(?: down)?|"
    r"\bmy (?:draft|piece|text|article) (?:says|reads|has)|\bich (?:habe|hab) (?:geschrieben|notiert)|"
    r"\bich schrieb|\bin meinem (?:entwurf|artikel|text|beitrag) steht)(?: that| dass)?\s*[:：,，]?\s*|"
    r"^[^？?]{0,40}?(?:我写的是|我写了|我写道|我写成|我写(?=[\"“「『])|我寫的是|我寫了|我寫(?=[\"“「『])|"
    r"稿子里写的是|稿子裡寫的是)\s*[:：,，]?\s*",
    re.IGNORECASE,
)


def without_draft(clean: str) -> str:
    """A claim without the asker's frame of their own draft ("I wrote that ..."); the whole when
    nothing else is left."""
    return _or_whole(_DRAFT.sub("", clean, count=1).strip(), clean)


def without_source(clean: str) -> str:
    """A message without the asker's "according to the release" (every answer comes from it);
    the whole when nothing else is left."""
    return _or_whole(" ".join(_SOURCE.sub(" ", clean).split()), clean)


# A term given to the agreement a question is about: "a 10-year agreement", "die zehnjährige
# Vereinbarung", "für fünf Jahre unterzeichnet", "为期十年的协议", "五年期合同".
_NUMBER_WORD = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|fifteen|twenty|thirty|fifty)"
_ZAHL = r"(?:\d+|ein|zwei|drei|vier|funf|sechs|sieben|acht|neun|zehn|zwanzig|dreissig|funfzig)"
_TERM = re.compile(
    rf"\b(?P<en>{_NUMBER_WORD}[- ](?:year|month)(?:[- ]long)?)\s+(?:\w+\s+)?(?:agreement|deal|contract|"
    r"pact|accord)\b|"
    rf"\b(?:runs? for|valid for|term of|signed for|concluded for|expires after) "
    rf"(?P<en2>{_NUMBER_WORD} (?:years|months))\b|"
    rf"\b(?P<de>{_ZAHL}[- ]?(?:jahrig|monatig)\w*)\s+(?:\w+\s+)?(?:rahmenvereinbarung|vereinbarung|"
    r"abkommen|vertrag|pakt)\b|"
    rf"\b(?:laufzeit von|lauft (?:fur|uber|auf)|gilt (?:fur|auf)|gultig fur|geschlossen fur|"
    rf"unterzeichnet fur|befristet auf) (?P<de2>{_ZAHL} (?:jahre|jahren|monate|monaten))\b|"
    r"(?:为期|期限为?|有效期为?)(?P<zh>[一二三四五六七八九十两\d]+(?:个)?(?:年|月))(?=.{0,8}(?:协议|合同))|"
    r"(?P<zh2>[一二三四五六七八九十两\d]+年)期(?=.{0,4}(?:协议|合同))"
)
# The agreement named: a term given to anything else (the cooperation's 29 years, a branch's, a
# person's) is no term of the agreement.
_AGREEMENT_WORD = re.compile(
    r"\b(?:agreement|deal|contract|pact|accord|\w*vereinbarung|abkommen|vertrag|pakt)\b|协议|合同"
)
# A question that asks something besides why or whether ("who signed the 10-year deal?").
_ASKS_BESIDES = re.compile(
    r"\b(?:what|which|who|whom|where|when|how many|how much|welche\w*|wer|wen|wem|wo|wann|wie viele)\b|"
    r"什么|哪|谁|几|多少|何时"
)


# How the fact base is asked for the agreement's term, when a question gives it one.
TERM_ASKED = {
    "de": "Wie lange läuft die Vereinbarung?",
    "en": "How long does the agreement run?",
    "zh": "协议的期限有多长？",
}


def term_named(normalised: str) -> str | None:
    """The term a question gives the agreement ("10-year", "zehnjährige", "十年"), or None."""
    found = _TERM.search(normalised)
    if found is None or not _AGREEMENT_WORD.search(normalised):
        return None
    return next(v for v in found.groupdict().values() if v)


def asks_besides(normalised: str) -> bool:
    """True when a question asks more than why or whether (what, who, where, when, how many)."""
    return _ASKS_BESIDES.search(normalised) is not None


def without_term(normalised: str) -> str:
    """A question without the term it gives the agreement ("who signed the agreement" of "who
    signed the 10-year agreement", "的协议是谁签的" of "为期十年的协议是谁签的")."""
    found = _TERM.search(normalised)
    if found is None:
        return normalised
    name = next(k for k, v in found.groupdict().items() if v)
    start, end = found.span(0) if name.startswith("zh") else found.span(name)
    return " ".join((normalised[:start] + " " + normalised[end:]).split())


# -- the reading -------------------------------------------------------------------------------

# What the engine is asked to do besides deciding on a ranking.
Move = Literal["more", "earlier", "again", "span", "region", "source", "shorter", "bullets", "item"]
# The most a "region" move is trusted: a linked fact guessed at for the question, not a match.
REGION_CONFIDENCE = 0.8


@dataclass(frozen=True)
class Reading:
    """A question as read: the text that carries it (a core clause, the last question with a term
    replaced, or the whole) and its ranking, whose language is the question's own; or a move with
    the intents it points at ("more": the facts to add, none left when empty; "earlier": one;
    "region": the linked fact that names a region, with the joined reading's ranking; "span": the
    turn before the last, the last, and the fact that names both their years; "again": the last
    one, in the language asked for; "source": the last one, whose source is asked for; "shorter":
    the last one, asked for in fewer words)."""

    text: str
    ranking: Ranking
    move: Move | None = None
    targets: tuple[str, ...] = ()
    lang: str | None = None  # the language the reply is asked for in ("again", "... in English?")
    # The earlier turn the question is about, when not the last ("back to the first one: how long
    # before the signing was that?"): what "that" in a computation counts from.
    about: str | None = None


_COUNT_WORDS = re.compile(r"\b(how|many|much|wie|viele|viel|sind|are|there|gibt)\b|多少|几个|有")
# What is left of a part that only asks when ("and on what date exactly", "具体几月呢"): it names
# nothing of its own.
_BARE_WORDS = re.compile(
    r"\b(and|und|or|oder|also|then|dann|on|at|in|of|an|am|um|im|the|a|der|die|das|dem|den|what|which|"
    r"welche[mnrs]?|exactly|exact|precisely|genau\w*|date|day|month|year|datum|tag|monat|jahr|was|is|"
    r"it|that|ist|war|es|das|exakt)\b|具体|几月|几号|日期|哪天|哪一天|哪个月|是|的|呢|吗|啊|那|和|还有|以及|日"
)


def only_count(normalised: str) -> bool:
    """True for a text that only asks how many ("and how many?", "und wie viele?", "有多少个？"): no
    word of its own besides the asking."""
    rest = _COUNT_WORDS.sub(" ", _BARE_WORDS.sub(" ", unasked(normalised)))
    return asked(normalised) == {"number"} and not rest.split()


def only_when(normalised: str) -> bool:
    """True for a text that asks only when ("and on what date", "und wann war das?", "具体几月")
    and names nothing dated of its own: it asks about what was named before."""
    kinds = asked(normalised)
    if not kinds or not kinds <= {"date", "day"}:
        return False
    return not _BARE_WORDS.sub(" ", unasked(normalised)).split()
