-- Failed sign-ins with usernames that have no account are counted too, so
-- that the lock-out answers alike whether an account exists or not.
CREATE TABLE unknown_logins (
    username     TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    locked_until BIGINT NOT NULL DEFAULT 0,
    updated_at   BIGINT NOT NULL
);
