-- Group-robot webhooks (DingTalk, WeCom) of communities and departments, and
-- the outbox of their messages: written in the same transaction as the change
-- they announce, delivered by a job with retries.
CREATE TABLE webhooks (
    id            INTEGER PRIMARY KEY,
    scope_kind    TEXT NOT NULL CHECK (scope_kind IN ('region', 'department')),
    scope         TEXT NOT NULL,
    format        TEXT NOT NULL CHECK (format IN ('dingtalk', 'wecom')),
    url           TEXT NOT NULL,
    secret        TEXT NOT NULL DEFAULT '',
    enabled       BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    BIGINT NOT NULL
);
CREATE INDEX webhooks_scope ON webhooks (scope_kind, scope);

CREATE TABLE outbox (
    id            INTEGER PRIMARY KEY,
    webhook_id    INTEGER NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    appeal_id     INTEGER,
    kind          TEXT NOT NULL,
    text          TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    next_at       BIGINT NOT NULL,
    claimed_until BIGINT NOT NULL DEFAULT 0,
    delivered_at  BIGINT NOT NULL DEFAULT 0,
    last_error    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox (next_at) WHERE delivered_at = 0;
