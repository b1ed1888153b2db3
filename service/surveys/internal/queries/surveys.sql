-- Surveys, questions, responses and answers.

-- name: InsertSurvey :exec
INSERT INTO survey_surveys (id, group_id, mall_id, title, tier_ids, tags, reward_points, quota, created_by, created_at)
VALUES (@id, @group_id, @mall_id, @title, @tier_ids, @tags, @reward_points, sqlc.narg(quota), @created_by, @created_at);

-- name: InsertQuestion :exec
INSERT INTO survey_questions (id, group_id, mall_id, survey_id, position, kind, prompt, options, required)
VALUES (@id, @group_id, @mall_id, @survey_id, @position, @kind, @prompt, @options, @required);

-- name: Survey :one
SELECT * FROM survey_surveys WHERE id = @id;

-- name: SurveysOfMall :many
SELECT * FROM survey_surveys
WHERE group_id = @group_id AND mall_id = @mall_id
  AND (sqlc.narg(after)::uuid IS NULL OR id > sqlc.narg(after)::uuid)
ORDER BY id LIMIT @max_rows;

-- name: OpenSurveysOfGroup :many
SELECT * FROM survey_surveys WHERE group_id = @group_id AND status = 'open' ORDER BY created_at DESC, id LIMIT 200;

-- name: Questions :many
SELECT * FROM survey_questions WHERE group_id = @group_id AND mall_id = @mall_id AND survey_id = @survey_id
ORDER BY position;

-- name: InsertResponse :execrows
INSERT INTO survey_responses (id, group_id, mall_id, survey_id, member_id, points, created_at)
VALUES (@id, @group_id, @mall_id, @survey_id, @member_id, @points, @created_at)
ON CONFLICT (group_id, mall_id, survey_id, member_id) DO NOTHING;

-- name: CountResponse :one
-- One response more while the survey is open and under its quota; it closes at the quota.
UPDATE survey_surveys SET responses = responses + 1,
    status = CASE WHEN quota IS NOT NULL AND responses + 1 >= quota THEN 'closed' ELSE status END
WHERE id = @id AND status = 'open' AND (quota IS NULL OR responses < quota)
RETURNING responses;

-- name: SetSurveyStatus :exec
UPDATE survey_surveys SET status = @status WHERE id = @id;

-- name: InsertAnswer :exec
INSERT INTO survey_answers (id, group_id, mall_id, survey_id, response_id, question_id, choices, text)
VALUES (@id, @group_id, @mall_id, @survey_id, @response_id, @question_id, @choices, @text);

-- name: MyResponse :one
SELECT * FROM survey_responses WHERE group_id = @group_id AND mall_id = @mall_id AND survey_id = @survey_id
  AND member_id = @member_id;

-- name: OptionCounts :many
-- Per choice question and option: how many answers chose it.
SELECT a.question_id, c.choice::int AS choice, count(*)::bigint AS n
FROM survey_answers a CROSS JOIN LATERAL unnest(a.choices) AS c(choice)
WHERE a.group_id = @group_id AND a.mall_id = @mall_id AND a.survey_id = @survey_id
GROUP BY a.question_id, c.choice;

-- name: AnswerCounts :many
-- Per question: how many responses answered it (chose something or wrote something).
SELECT question_id, count(*)::bigint AS n FROM survey_answers
WHERE group_id = @group_id AND mall_id = @mall_id AND survey_id = @survey_id
  AND (cardinality(choices) > 0 OR text <> '')
GROUP BY question_id;

-- name: TextAnswers :many
SELECT id, response_id, text FROM survey_answers
WHERE group_id = @group_id AND mall_id = @mall_id AND question_id = @question_id AND text <> ''
  AND (sqlc.narg(after)::uuid IS NULL OR id > sqlc.narg(after)::uuid)
ORDER BY id LIMIT @max_rows;
