-- A verdict of 'lapsed' (FOIA s.9(2): a fee notice unpaid three months after it was given ends the
-- duty to comply): neither met nor breached. assessment_days counts it in its own column, so every
-- compliance figure (met / (met + breached)) leaves it out and the lapsed requests can still be shown.
ALTER TABLE "assessment_days" ADD COLUMN "lapsed" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE OR REPLACE FUNCTION "assessment_days_count"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	source text := CASE TG_OP
		WHEN 'INSERT' THEN 'SELECT *, 1 AS sign FROM new_rows'
		WHEN 'DELETE' THEN 'SELECT *, -1 AS sign FROM old_rows'
		ELSE 'SELECT *, -1 AS sign FROM old_rows UNION ALL SELECT *, 1 AS sign FROM new_rows'
	END;
BEGIN
	EXECUTE format($sql$
		INSERT INTO assessment_days AS d (organisation_id, standard_id, service_id, team_id, clock_start_on, met, breached, open, excluded, lapsed)
		SELECT * FROM (
			SELECT organisation_id, standard_id, service_id, team_id, clock_start_on,
				coalesce(sum(sign) FILTER (WHERE status = 'met'), 0)::int AS met,
				coalesce(sum(sign) FILTER (WHERE status = 'breached'), 0)::int AS breached,
				coalesce(sum(sign) FILTER (WHERE status = 'open'), 0)::int AS open,
				coalesce(sum(sign) FILTER (WHERE status = 'excluded'), 0)::int AS excluded,
				coalesce(sum(sign) FILTER (WHERE status = 'lapsed'), 0)::int AS lapsed
			FROM (%s) AS changed
			GROUP BY organisation_id, standard_id, service_id, team_id, clock_start_on
		) AS delta
		WHERE met <> 0 OR breached <> 0 OR open <> 0 OR excluded <> 0 OR lapsed <> 0
		ORDER BY clock_start_on, standard_id, service_id, team_id
		ON CONFLICT ON CONSTRAINT assessment_days_key DO UPDATE SET
			met = d.met + excluded.met,
			breached = d.breached + excluded.breached,
			open = d.open + excluded.open,
			excluded = d.excluded + excluded.excluded,
			lapsed = d.lapsed + excluded.lapsed
	$sql$, source);
	RETURN NULL;
END $$;--> statement-breakpoint
UPDATE "assessment_days" d SET "lapsed" = counted.lapsed
FROM (
	SELECT organisation_id, standard_id, service_id, team_id, clock_start_on, count(*)::int AS lapsed
	FROM "assessments" WHERE status = 'lapsed'
	GROUP BY organisation_id, standard_id, service_id, team_id, clock_start_on
) AS counted
WHERE d.clock_start_on = counted.clock_start_on AND d.standard_id = counted.standard_id
	AND d.service_id = counted.service_id AND d.team_id IS NOT DISTINCT FROM counted.team_id;
