-- Visits (走访, package visit): who went to which enterprise, when and why,
-- the team's units, the situation recorded and the problems found with
-- what became of each (solved on the spot, an appeal, a common problem),
-- and the enterprise's confirmation and rating. The place is copied from
-- the enterprise when the visit is recorded, for scope and figures.
CREATE TABLE visits (
    id             INTEGER PRIMARY KEY,
    enterprise_id  BIGINT NOT NULL REFERENCES enterprises (id),
    grid_code      TEXT NOT NULL,
    community_code TEXT NOT NULL,
    street_code    TEXT NOT NULL,
    district_code  TEXT NOT NULL,
    city_code      TEXT NOT NULL,
    kind           TEXT NOT NULL,
    visited_on     TEXT NOT NULL,
    recorded_by    BIGINT NOT NULL,
    units          INTEGER NOT NULL,
    no_change      BOOLEAN NOT NULL,
    note           TEXT NOT NULL,
    situation      TEXT NOT NULL,
    problems       INTEGER NOT NULL,
    confirmed_at   BIGINT NOT NULL DEFAULT 0,
    rating         TEXT NOT NULL DEFAULT '',
    rating_note    TEXT NOT NULL DEFAULT '',
    rating_via     TEXT NOT NULL DEFAULT '',
    created_at     BIGINT NOT NULL,
    idem_key       TEXT NOT NULL DEFAULT '',
    version        BIGINT NOT NULL DEFAULT 1
);
-- A retried recording (the phone lost its answer) finds the visit it made.
CREATE UNIQUE INDEX visits_idem ON visits (recorded_by, idem_key) WHERE idem_key <> '';
CREATE INDEX visits_enterprise ON visits (enterprise_id, visited_on);
CREATE INDEX visits_recorder ON visits (recorded_by, visited_on);
CREATE INDEX visits_community ON visits (community_code, visited_on);
CREATE INDEX visits_street ON visits (street_code, visited_on);
CREATE INDEX visits_district ON visits (district_code, visited_on);
CREATE INDEX visits_unconfirmed ON visits (enterprise_id) WHERE confirmed_at = 0;
-- The members of the team that went: a person with an account, or a
-- person of another unit named on the visit (user_id 0).
CREATE TABLE visit_visitors (
    visit_id BIGINT NOT NULL REFERENCES visits (id),
    position INTEGER NOT NULL,
    user_id  BIGINT NOT NULL,
    name     TEXT NOT NULL,
    unit     TEXT NOT NULL,
    PRIMARY KEY (visit_id, position)
);
CREATE INDEX visit_visitors_user ON visit_visitors (user_id, visit_id);
-- Common problems (共性问题): a topic sent up to a street or the district
-- with every enterprise concerned (their problems point at it), answered
-- there rather than dispatched one by one.
CREATE TABLE common_topics (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL,
    detail      TEXT NOT NULL,
    category    TEXT NOT NULL,
    region_code TEXT NOT NULL,
    level       INTEGER NOT NULL,
    state       TEXT NOT NULL,
    answer      TEXT NOT NULL DEFAULT '',
    raised_by   BIGINT NOT NULL,
    raised_at   BIGINT NOT NULL,
    answered_by BIGINT NOT NULL DEFAULT 0,
    answered_at BIGINT NOT NULL DEFAULT 0,
    version     BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX common_topics_region ON common_topics (region_code, state);
CREATE TABLE visit_problems (
    id            INTEGER PRIMARY KEY,
    visit_id      BIGINT NOT NULL REFERENCES visits (id),
    enterprise_id BIGINT NOT NULL,
    position      INTEGER NOT NULL,
    text          TEXT NOT NULL,
    category      TEXT NOT NULL,
    outcome       TEXT NOT NULL,
    action        TEXT NOT NULL,
    appeal_id     BIGINT NOT NULL DEFAULT 0,
    topic_id      BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX visit_problems_visit ON visit_problems (visit_id);
CREATE INDEX visit_problems_appeal ON visit_problems (appeal_id) WHERE appeal_id <> 0;
CREATE INDEX visit_problems_topic ON visit_problems (topic_id) WHERE topic_id <> 0;
-- Each enterprise's last visit, for the 90-day list and the plan.
CREATE TABLE visit_last (
    enterprise_id BIGINT PRIMARY KEY,
    visit_id      BIGINT NOT NULL,
    visited_on    TEXT NOT NULL
);
CREATE INDEX visit_last_on ON visit_last (visited_on);
