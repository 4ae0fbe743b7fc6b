CREATE TABLE "phone_half_hours" (
	"organisation_id" integer NOT NULL,
	"service_id" integer NOT NULL,
	"team_id" integer,
	"slot_start" timestamp with time zone NOT NULL,
	"offered" integer DEFAULT 0 NOT NULL,
	"answered" integer DEFAULT 0 NOT NULL,
	"abandoned" integer DEFAULT 0 NOT NULL,
	"answered_wait_seconds" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "phone_half_hours_key" UNIQUE NULLS NOT DISTINCT("slot_start","service_id","team_id")
);
--> statement-breakpoint
ALTER TABLE "phone_half_hours" ADD CONSTRAINT "phone_half_hours_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phone_half_hours" ADD CONSTRAINT "phone_half_hours_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phone_half_hours" ADD CONSTRAINT "phone_half_hours_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "assessments_open_due_index" ON "assessments" USING btree ("due_at") WHERE "assessments"."status" = 'open';--> statement-breakpoint
-- Keeps phone_half_hours exact, like assessment_days (0004): each statement on contacts adds its
-- new phone calls and takes away its old ones, grouped by half hour, in one sorted upsert.
CREATE FUNCTION "phone_half_hours_count"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	source text := CASE TG_OP
		WHEN 'INSERT' THEN 'SELECT *, 1 AS sign FROM new_rows'
		WHEN 'DELETE' THEN 'SELECT *, -1 AS sign FROM old_rows'
		ELSE 'SELECT *, -1 AS sign FROM old_rows UNION ALL SELECT *, 1 AS sign FROM new_rows'
	END;
BEGIN
	EXECUTE format($sql$
		INSERT INTO phone_half_hours AS p (organisation_id, service_id, team_id, slot_start, offered, answered, abandoned, answered_wait_seconds)
		SELECT * FROM (
			SELECT organisation_id, service_id, team_id, date_bin('30 minutes', received_at, timestamptz '2000-01-01 00:00+00') AS slot_start,
				sum(sign)::int AS offered,
				coalesce(sum(sign) FILTER (WHERE NOT abandoned), 0)::int AS answered,
				coalesce(sum(sign) FILTER (WHERE abandoned), 0)::int AS abandoned,
				coalesce(sum(sign * wait_seconds) FILTER (WHERE NOT abandoned), 0)::bigint AS answered_wait_seconds
			FROM (%s) AS changed
			WHERE contact_type = 'phone'
			GROUP BY 1, 2, 3, 4
		) AS delta
		WHERE offered <> 0 OR answered <> 0 OR abandoned <> 0 OR answered_wait_seconds <> 0
		ORDER BY slot_start, service_id, team_id
		ON CONFLICT ON CONSTRAINT phone_half_hours_key DO UPDATE SET
			offered = p.offered + excluded.offered,
			answered = p.answered + excluded.answered,
			abandoned = p.abandoned + excluded.abandoned,
			answered_wait_seconds = p.answered_wait_seconds + excluded.answered_wait_seconds
	$sql$, source);
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "phone_half_hours_insert" AFTER INSERT ON "contacts" REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION "phone_half_hours_count"();
--> statement-breakpoint
CREATE TRIGGER "phone_half_hours_update" AFTER UPDATE ON "contacts" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION "phone_half_hours_count"();
--> statement-breakpoint
CREATE TRIGGER "phone_half_hours_delete" AFTER DELETE ON "contacts" REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION "phone_half_hours_count"();
--> statement-breakpoint
INSERT INTO "phone_half_hours" (organisation_id, service_id, team_id, slot_start, offered, answered, abandoned, answered_wait_seconds)
SELECT organisation_id, service_id, team_id, date_bin('30 minutes', received_at, timestamptz '2000-01-01 00:00+00'),
	count(*), count(*) FILTER (WHERE NOT abandoned), count(*) FILTER (WHERE abandoned), coalesce(sum(wait_seconds) FILTER (WHERE NOT abandoned), 0)
FROM "contacts" WHERE contact_type = 'phone'
GROUP BY 1, 2, 3, 4;
