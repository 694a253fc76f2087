"""The press office: a declined question handed off as a ticket to the press group, the staff's
reply relayed to the asker, "notify me" update notices, and their texts and views.

- handlers: the hand-off, the staff's replies and buttons, /tickets
- notices: "notify me", /unsubscribe, the admins' Send / Skip, the press tables' housekeeping
- view: what those features show (pure: builds messages)
- texts: their words in de, en and zh (plain strings)

Its store (bot.store.press.PressStore) lives in the application's typed data
(`context.bot_data.press`), built once with the application. Handlers here use the shared kit
(bot.telegram.kit), never the stakeholder handlers or taps.
"""
