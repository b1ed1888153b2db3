-- +goose Up
-- Questionnaires (问卷, issue 17 point 2): single choice, multiple choice and text
-- questions, for all members of the mall's group or a segment (tiers, tags); one
-- response per member (unique key), a points reward once per response (ledger posting
-- keyed by the response), an optional quota counted under the survey's row (the survey
-- closes when it is reached).
CREATE TABLE survey_surveys (
    id            uuid PRIMARY KEY,
    group_id      uuid NOT NULL,
    mall_id       uuid NOT NULL REFERENCES malls (id),
    title         text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    tier_ids      uuid[] NOT NULL DEFAULT '{}',
    tags          text[] NOT NULL DEFAULT '{}',
    reward_points integer NOT NULL DEFAULT 0 CHECK (reward_points >= 0),
    quota         integer CHECK (quota > 0),
    responses     integer NOT NULL DEFAULT 0 CHECK (responses >= 0 AND (quota IS NULL OR responses <= quota)),
    status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    created_by    uuid NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX survey_surveys_mall_idx ON survey_surveys (group_id, mall_id, created_at DESC, id);

CREATE TABLE survey_questions (
    id        uuid PRIMARY KEY,
    group_id  uuid NOT NULL,
    mall_id   uuid NOT NULL REFERENCES malls (id),
    survey_id uuid NOT NULL REFERENCES survey_surveys (id),
    position  integer NOT NULL,
    kind      text NOT NULL CHECK (kind IN ('single', 'multiple', 'text')),
    prompt    text NOT NULL CHECK (length(prompt) BETWEEN 1 AND 500),
    options   text[] NOT NULL DEFAULT '{}',
    required  boolean NOT NULL DEFAULT true,
    UNIQUE (group_id, mall_id, survey_id, position)
);

CREATE TABLE survey_responses (
    id         uuid PRIMARY KEY,
    group_id   uuid NOT NULL,
    mall_id    uuid NOT NULL REFERENCES malls (id),
    survey_id  uuid NOT NULL REFERENCES survey_surveys (id),
    member_id  uuid NOT NULL REFERENCES members (id),
    points     integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL,
    UNIQUE (group_id, mall_id, survey_id, member_id)
);

CREATE TABLE survey_answers (
    id          uuid PRIMARY KEY,
    group_id    uuid NOT NULL,
    mall_id     uuid NOT NULL REFERENCES malls (id),
    survey_id   uuid NOT NULL REFERENCES survey_surveys (id),
    response_id uuid NOT NULL REFERENCES survey_responses (id),
    question_id uuid NOT NULL REFERENCES survey_questions (id),
    choices     integer[] NOT NULL DEFAULT '{}',
    text        text NOT NULL DEFAULT '' CHECK (length(text) <= 2000),
    UNIQUE (group_id, mall_id, response_id, question_id)
);
CREATE INDEX survey_answers_question_idx ON survey_answers (group_id, mall_id, question_id, id);

-- +goose Down
DROP TABLE survey_answers;
DROP TABLE survey_responses;
DROP TABLE survey_questions;
DROP TABLE survey_surveys;
