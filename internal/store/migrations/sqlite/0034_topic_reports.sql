-- An enterprise put under a common problem from elsewhere than a visit:
-- a survey's answer, a status report (ref names the record it came from).
CREATE TABLE common_topic_reports (
    id            INTEGER PRIMARY KEY,
    topic_id      BIGINT NOT NULL REFERENCES common_topics (id),
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    text          TEXT NOT NULL,
    ref           TEXT NOT NULL,
    raised_by     BIGINT NOT NULL,
    raised_at     BIGINT NOT NULL
);
CREATE INDEX common_topic_reports_topic ON common_topic_reports (topic_id);
