ALTER TABLE "phone_half_hours" ADD COLUMN "callbacks_chosen" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "phone_half_hours" ADD COLUMN "callback_wait_seconds" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
-- The callers who chose a queued callback while waiting (callback contacts with their wait until the
-- choice, received when they chose it), counted per half hour beside the calls: not offered calls,
-- so not in the service level, but reported beside it. The same trigger keeps both exact.
CREATE OR REPLACE FUNCTION "phone_half_hours_count"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	source text := CASE TG_OP
		WHEN 'INSERT' THEN 'SELECT *, 1 AS sign FROM new_rows'
		WHEN 'DELETE' THEN 'SELECT *, -1 AS sign FROM old_rows'
		ELSE 'SELECT *, -1 AS sign FROM old_rows UNION ALL SELECT *, 1 AS sign FROM new_rows'
	END;
BEGIN
	EXECUTE format($sql$
		INSERT INTO phone_half_hours AS p (organisation_id, service_id, team_id, slot_start, offered, answered, abandoned, answered_wait_seconds,
			callbacks_chosen, callback_wait_seconds)
		SELECT * FROM (
			SELECT organisation_id, service_id, team_id, date_bin('30 minutes', received_at, timestamptz '2000-01-01 00:00+00') AS slot_start,
				coalesce(sum(sign) FILTER (WHERE contact_type = 'phone'), 0)::int AS offered,
				coalesce(sum(sign) FILTER (WHERE contact_type = 'phone' AND NOT abandoned), 0)::int AS answered,
				coalesce(sum(sign) FILTER (WHERE contact_type = 'phone' AND abandoned), 0)::int AS abandoned,
				coalesce(sum(sign * wait_seconds) FILTER (WHERE contact_type = 'phone' AND NOT abandoned), 0)::bigint AS answered_wait_seconds,
				coalesce(sum(sign) FILTER (WHERE contact_type = 'callback' AND wait_seconds IS NOT NULL), 0)::int AS callbacks_chosen,
				coalesce(sum(sign * wait_seconds) FILTER (WHERE contact_type = 'callback'), 0)::bigint AS callback_wait_seconds
			FROM (%s) AS changed
			WHERE contact_type = 'phone' OR (contact_type = 'callback' AND wait_seconds IS NOT NULL)
			GROUP BY 1, 2, 3, 4
		) AS delta
		WHERE offered <> 0 OR answered <> 0 OR abandoned <> 0 OR answered_wait_seconds <> 0 OR callbacks_chosen <> 0 OR callback_wait_seconds <> 0
		ORDER BY slot_start, service_id, team_id
		ON CONFLICT ON CONSTRAINT phone_half_hours_key DO UPDATE SET
			offered = p.offered + excluded.offered,
			answered = p.answered + excluded.answered,
			abandoned = p.abandoned + excluded.abandoned,
			answered_wait_seconds = p.answered_wait_seconds + excluded.answered_wait_seconds,
			callbacks_chosen = p.callbacks_chosen + excluded.callbacks_chosen,
			callback_wait_seconds = p.callback_wait_seconds + excluded.callback_wait_seconds
	$sql$, source);
	RETURN NULL;
END $$;
--> statement-breakpoint
INSERT INTO "phone_half_hours" AS p (organisation_id, service_id, team_id, slot_start, callbacks_chosen, callback_wait_seconds)
SELECT organisation_id, service_id, team_id, date_bin('30 minutes', received_at, timestamptz '2000-01-01 00:00+00'), count(*), sum(wait_seconds)
FROM "contacts" WHERE contact_type = 'callback' AND wait_seconds IS NOT NULL
GROUP BY 1, 2, 3, 4
ORDER BY 4, 2, 3
ON CONFLICT ON CONSTRAINT phone_half_hours_key DO UPDATE SET
	callbacks_chosen = excluded.callbacks_chosen, callback_wait_seconds = excluded.callback_wait_seconds;
