CREATE TABLE "assessment_days" (
	"organisation_id" integer NOT NULL,
	"standard_id" integer NOT NULL,
	"service_id" integer NOT NULL,
	"team_id" integer,
	"clock_start_on" date NOT NULL,
	"met" integer DEFAULT 0 NOT NULL,
	"breached" integer DEFAULT 0 NOT NULL,
	"open" integer DEFAULT 0 NOT NULL,
	"excluded" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "assessment_days_key" UNIQUE NULLS NOT DISTINCT("clock_start_on","standard_id","service_id","team_id")
);
--> statement-breakpoint
ALTER TABLE "assessment_days" ADD CONSTRAINT "assessment_days_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_days" ADD CONSTRAINT "assessment_days_standard_id_standards_id_fk" FOREIGN KEY ("standard_id") REFERENCES "public"."standards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_days" ADD CONSTRAINT "assessment_days_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_days" ADD CONSTRAINT "assessment_days_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Keeps assessment_days exact: each statement on assessments adds its new rows' counts and takes
-- away its old rows' counts, grouped, in one upsert (sorted, so concurrent writers lock rows in the
-- same order). The transition tables a trigger has depend on its event, hence the dynamic source.
CREATE FUNCTION "assessment_days_count"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	source text := CASE TG_OP
		WHEN 'INSERT' THEN 'SELECT *, 1 AS sign FROM new_rows'
		WHEN 'DELETE' THEN 'SELECT *, -1 AS sign FROM old_rows'
		ELSE 'SELECT *, -1 AS sign FROM old_rows UNION ALL SELECT *, 1 AS sign FROM new_rows'
	END;
BEGIN
	EXECUTE format($sql$
		INSERT INTO assessment_days AS d (organisation_id, standard_id, service_id, team_id, clock_start_on, met, breached, open, excluded)
		SELECT * FROM (
			SELECT organisation_id, standard_id, service_id, team_id, clock_start_on,
				coalesce(sum(sign) FILTER (WHERE status = 'met'), 0)::int AS met,
				coalesce(sum(sign) FILTER (WHERE status = 'breached'), 0)::int AS breached,
				coalesce(sum(sign) FILTER (WHERE status = 'open'), 0)::int AS open,
				coalesce(sum(sign) FILTER (WHERE status = 'excluded'), 0)::int AS excluded
			FROM (%s) AS changed
			GROUP BY organisation_id, standard_id, service_id, team_id, clock_start_on
		) AS delta
		WHERE met <> 0 OR breached <> 0 OR open <> 0 OR excluded <> 0
		ORDER BY clock_start_on, standard_id, service_id, team_id
		ON CONFLICT ON CONSTRAINT assessment_days_key DO UPDATE SET
			met = d.met + excluded.met,
			breached = d.breached + excluded.breached,
			open = d.open + excluded.open,
			excluded = d.excluded + excluded.excluded
	$sql$, source);
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "assessment_days_insert" AFTER INSERT ON "assessments" REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION "assessment_days_count"();
--> statement-breakpoint
CREATE TRIGGER "assessment_days_update" AFTER UPDATE ON "assessments" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION "assessment_days_count"();
--> statement-breakpoint
CREATE TRIGGER "assessment_days_delete" AFTER DELETE ON "assessments" REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION "assessment_days_count"();
--> statement-breakpoint
INSERT INTO "assessment_days" (organisation_id, standard_id, service_id, team_id, clock_start_on, met, breached, open, excluded)
SELECT organisation_id, standard_id, service_id, team_id, clock_start_on,
	count(*) FILTER (WHERE status = 'met'), count(*) FILTER (WHERE status = 'breached'),
	count(*) FILTER (WHERE status = 'open'), count(*) FILTER (WHERE status = 'excluded')
FROM "assessments"
GROUP BY organisation_id, standard_id, service_id, team_id, clock_start_on;
