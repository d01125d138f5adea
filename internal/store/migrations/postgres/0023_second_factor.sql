-- Two-factor sign-in (TOTP): a user's authenticator secret ('' when none
-- is enrolled) and the time step of the last code taken (a code is good
-- once); a session is trusted once its second factor was given.
ALTER TABLE users ADD COLUMN totp_secret TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN totp_step BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN second_factor BOOLEAN NOT NULL DEFAULT FALSE;
