"""The one source of the store's schema: the ordered migrations both backends run, and the
statements whose column lists follow from the record types (bot.store.records), as sqlite-utils
derives a table from its rows.

A new column of the exchange takes two places: a field of `records.Exchange` (the record, the
INSERT, the spill check and the export follow from it) and a migration here. Never edit a migration
that has shipped: add a new one (tests build every older version from this list). Statements are
in SQLite's spelling; bot.store.dialect spells them for PostgreSQL. No I/O here.
"""

from __future__ import annotations

from bot.store.records import EXCHANGE_COLUMNS, FEEDBACK_COLUMNS

__all__ = [
    "EXCHANGE_COLUMNS",
    "EXCHANGE_OWNED_BY",
    "FEEDBACK_COLUMNS",
    "INSERT_EXCHANGE",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "UPSERT_FEEDBACK",
]

# Ordered migrations; migration N takes a database from user_version N-1 to N. Never edit one that
# has shipped: add a new one (tests build every older version from this list).
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (  # 1: the exchanges
        """CREATE TABLE exchanges (
            id TEXT PRIMARY KEY, ts TEXT NOT NULL, channel TEXT NOT NULL,
            user_ps TEXT, chat_ps TEXT, chat_type TEXT NOT NULL, kind TEXT NOT NULL,
            text TEXT NOT NULL, reply TEXT NOT NULL, lang TEXT, intent TEXT,
            confidence REAL, outcome TEXT NOT NULL, latency_ms REAL)""",
        "CREATE INDEX exchanges_ts ON exchanges (ts)",
    ),
    (  # 2: the language pinned by /lang, and feedback (one vote per user and exchange)
        "ALTER TABLE exchanges ADD COLUMN lang_pinned TEXT",
        """CREATE TABLE feedback (
            exchange_id TEXT NOT NULL, user_ps TEXT NOT NULL DEFAULT '', channel TEXT NOT NULL,
            value INTEGER NOT NULL CHECK (value IN (-1, 1)), ts TEXT NOT NULL,
            PRIMARY KEY (exchange_id, user_ps)) WITHOUT ROWID""",
        "CREATE INDEX feedback_ts ON feedback (ts)",
    ),
    (  # 3: indexes for the review queries, forget and retention
        "CREATE INDEX exchanges_outcome_ts ON exchanges (outcome, ts)",
        "CREATE INDEX exchanges_intent ON exchanges (intent)",
        "CREATE INDEX exchanges_user ON exchanges (user_ps)",
        "CREATE INDEX feedback_user ON feedback (user_ps)",
    ),
    (  # 4: the press office: tickets, "notify me" subscriptions, update notices (bot.store.press)
        """CREATE TABLE press_tickets (
            id INTEGER PRIMARY KEY AUTOINCREMENT, exchange_id TEXT NOT NULL UNIQUE,
            user_ps TEXT NOT NULL, chat_id INTEGER, user_name TEXT, lang TEXT NOT NULL,
            question TEXT NOT NULL, intent TEXT, confidence REAL,
            state TEXT NOT NULL CHECK (state IN ('open', 'answered', 'dismissed')),
            claimed_by TEXT, group_message_id INTEGER, opened_ts TEXT NOT NULL,
            answered_ts TEXT, closed_ts TEXT, answers INTEGER NOT NULL DEFAULT 0, answer TEXT)""",
        "CREATE INDEX press_tickets_user ON press_tickets (user_ps, state)",
        "CREATE INDEX press_tickets_message ON press_tickets (group_message_id)",
        "CREATE INDEX press_tickets_opened ON press_tickets (opened_ts)",
        """CREATE TABLE press_subscriptions (
            user_ps TEXT NOT NULL, intent TEXT NOT NULL, chat_id INTEGER NOT NULL,
            lang TEXT NOT NULL, answer_hash TEXT NOT NULL, created_ts TEXT NOT NULL,
            expires_ts TEXT NOT NULL, PRIMARY KEY (user_ps, intent)) WITHOUT ROWID""",
        "CREATE INDEX press_subscriptions_intent ON press_subscriptions (intent)",
        """CREATE TABLE press_notices (
            id INTEGER PRIMARY KEY AUTOINCREMENT, intent TEXT NOT NULL,
            answer_hash TEXT NOT NULL, state TEXT NOT NULL CHECK (state IN ('asked', 'sent',
            'skipped')), ts TEXT NOT NULL, sent INTEGER NOT NULL DEFAULT 0,
            UNIQUE (intent, answer_hash))""",
    ),
    (  # 5: the language a user pinned with /lang, under the user's pseudonym (bot.store.prefs)
        """CREATE TABLE prefs (
            user_ps TEXT PRIMARY KEY, lang TEXT NOT NULL, ts TEXT NOT NULL) WITHOUT ROWID""",
    ),
    (  # 6: the inbox: each update stored before Telegram is told it arrived (bot.store.inbox)
        """CREATE TABLE inbox (
            update_id INTEGER PRIMARY KEY, chat_key TEXT, raw TEXT,
            state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'done', 'failed')),
            sends INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0,
            received_at TEXT NOT NULL, updated_at TEXT NOT NULL)""",
        "CREATE INDEX inbox_state ON inbox (state, update_id)",
        "CREATE INDEX inbox_updated ON inbox (updated_at)",
    ),
    (  # 7: the inbox as a work queue shared by replicas: who holds an update until when (bot.store.queue)
        "ALTER TABLE inbox ADD COLUMN claimed_by TEXT",
        "ALTER TABLE inbox ADD COLUMN claim_until TEXT",
        "CREATE INDEX inbox_chat ON inbox (chat_key, update_id)",
    ),
    (  # 8: follow-up context and flood window per chat/user, shared by replicas (bot.store.chat_state)
        """CREATE TABLE chat_state (
            key_ps TEXT PRIMARY KEY, user_ps TEXT NOT NULL, context TEXT,
            flood_count INTEGER NOT NULL DEFAULT 0, flood_start REAL,
            updated_at TEXT NOT NULL) WITHOUT ROWID""",
        "CREATE INDEX chat_state_user ON chat_state (user_ps)",
        "CREATE INDEX chat_state_updated ON chat_state (updated_at)",
    ),
    (  # 9: the review console (bot.store.console): one-use sign-in links and sessions (hashes only),
        # its actions (for undo), its per-day figures; indexes so its overview reads no texts
        """CREATE TABLE console_links (
            token_hash TEXT PRIMARY KEY, created_ts TEXT NOT NULL, expires_ts TEXT NOT NULL,
            used_ts TEXT, issued_to TEXT)""",
        """CREATE TABLE console_sessions (
            id_hash TEXT PRIMARY KEY, csrf TEXT NOT NULL, created_ts TEXT NOT NULL,
            expires_ts TEXT NOT NULL, ended_ts TEXT)""",
        """CREATE TABLE console_actions (
            id INTEGER PRIMARY KEY AUTOINCREMENT, ts TEXT NOT NULL, kind TEXT NOT NULL,
            query TEXT NOT NULL, target TEXT, path TEXT, before_text TEXT, after_hash TEXT,
            undone_ts TEXT)""",
        # The overview's figures of each closed day, kept so a long log is not read again.
        "CREATE TABLE console_days (day TEXT PRIMARY KEY, rows INTEGER NOT NULL, summary TEXT NOT NULL)",
        "CREATE INDEX exchanges_overview ON exchanges (ts, kind, outcome, lang, intent, user_ps, latency_ms)",
        "CREATE INDEX exchanges_user_ts ON exchanges (user_ps, ts)",
    ),
    (  # 10: update notices that resume (bot.store.press): each subscriber's delivery a row with its
        # own state; the notice remembers who confirmed it (for progress), how many it planned,
        # who sends it (a lease, for replicas) and when it finished. A notice decided before this
        # migration with nobody counted (stopped mid-send by the old code) is resumed.
        "ALTER TABLE press_notices ADD COLUMN admin_chat_id INTEGER",
        "ALTER TABLE press_notices ADD COLUMN admin_message_id INTEGER",
        "ALTER TABLE press_notices ADD COLUMN total INTEGER",
        "ALTER TABLE press_notices ADD COLUMN failed INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE press_notices ADD COLUMN reported INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE press_notices ADD COLUMN holder TEXT",
        "ALTER TABLE press_notices ADD COLUMN lease_until TEXT",
        "ALTER TABLE press_notices ADD COLUMN done_ts TEXT",
        "UPDATE press_notices SET done_ts = ts WHERE state = 'skipped' OR sent > 0",
        """CREATE TABLE press_deliveries (
            notice_id INTEGER NOT NULL, user_ps TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed', 'dropped')),
            attempts INTEGER NOT NULL DEFAULT 0, ts TEXT,
            PRIMARY KEY (notice_id, user_ps)) WITHOUT ROWID""",
        "CREATE INDEX press_deliveries_state ON press_deliveries (notice_id, state)",
        "CREATE INDEX press_notices_open ON press_notices (state, done_ts)",
    ),
    (  # 11: the review console's hand-offs to the press office (bot.store.handoffs): a cluster of
        # unanswered questions queued by the console, claimed and posted by one running bot as a
        # ticket of its own (press_tickets.handoff_id); `askers` the tickets its answer also reaches
        """CREATE TABLE press_handoffs (
            id INTEGER PRIMARY KEY AUTOINCREMENT, action_id INTEGER UNIQUE, ts TEXT NOT NULL,
            question TEXT NOT NULL, questions TEXT NOT NULL, asked INTEGER NOT NULL,
            users INTEGER NOT NULL, lang TEXT NOT NULL, intent TEXT, confidence REAL,
            state TEXT NOT NULL CHECK (state IN ('queued', 'posting', 'posted', 'undone')),
            holder TEXT, lease_until TEXT, ticket_id INTEGER, askers TEXT NOT NULL DEFAULT '',
            posted_ts TEXT, undone_ts TEXT)""",
        "CREATE INDEX press_handoffs_state ON press_handoffs (state, id)",
        "ALTER TABLE press_tickets ADD COLUMN handoff_id INTEGER",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)

INSERT_EXCHANGE = (
    f"INSERT OR IGNORE INTO exchanges ({', '.join(EXCHANGE_COLUMNS)}) "
    f"VALUES ({', '.join(':' + c for c in EXCHANGE_COLUMNS)})"
)
# A user's later vote replaces the earlier one; a stale vote imported late from the spill does not.
UPSERT_FEEDBACK = (
    f"INSERT INTO feedback ({', '.join(FEEDBACK_COLUMNS)}) "
    f"VALUES ({', '.join(':' + c for c in FEEDBACK_COLUMNS)}) "
    "ON CONFLICT (exchange_id, user_ps) DO UPDATE SET value = excluded.value, "
    "ts = excluded.ts, channel = excluded.channel WHERE excluded.ts >= feedback.ts"
)
# Feedback is taken only from the user the exchange was answered to (pseudonyms compared).
EXCHANGE_OWNED_BY = "SELECT 1 FROM exchanges WHERE id = ? AND user_ps = ?"
