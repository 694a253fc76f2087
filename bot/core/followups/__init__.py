"""Follow-ups (pure): how a question is read in the light of the chat's short memory
(bot.core.context holds the memory; the channel keeps it and passes the time).

A question that leans on the chat ("and what did he say?", "und die Niederlassung?", "那分公司呢？")
is read again with what the last answer was about, and one that names nothing of its own also
together with the last question; "and the office?" right after the branch's year is the last
question with "the office" in place of "the branch", as is "no, I meant the office". The other
moves of a conversation, found in the text by bot.core.moves, are read here too. A question that
stands on its own, small talk and off-topic messages are read alone, so context never hijacks them.

- reader: FollowUps, which tries the moves in their order, and the context a reply leaves
- basis: what every move reads of the fact base (people, what intents are about, specific words)
- cues: the words that make a question lean on the chat (pronouns, "and ...?", short questions)
- leaning: a question that makes no move, read alone or together with the last turn ("what does
  that mean for the companies there?" after an answer that speaks of them is that answer)
- ellipsis: "and the office?", "and on the city's side?": the last question of a sibling subject
- pointed: a person pointed at: a pronoun, "the second one", "the other one", "which of the two",
  "those two" (both at once)
- correction: "no, I meant the office", "no, I meant for the company"
- earlier: going back to an earlier turn; a detail the last answer lacks, from the turn that gave it
- more: "tell me more" (the related facts not yet given) and "the manufacturing part"
- dates: "since 2015?" checked against the last answer; the years between two turns
- language: "in English, please": the last answer again, or the rest asked in that language
- region: "and for which region?": the fact the last answer links to that gives a place
"""
