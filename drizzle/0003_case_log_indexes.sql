CREATE INDEX "contact_events_restart_index" ON "contact_events" USING btree ("at") WHERE "contact_events"."kind" = 'restart';--> statement-breakpoint
CREATE INDEX "contacts_received_index" ON "contacts" USING btree ("received_at","id");--> statement-breakpoint
CREATE INDEX "contacts_reference_index" ON "contacts" USING btree (lower("external_ref") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "contacts_clock_start_index" ON "contacts" USING btree ("clock_start_at") WHERE "contacts"."clock_start_at" is not null;--> statement-breakpoint
CREATE INDEX "assessments_due_index" ON "assessments" USING btree ("due_at","id");--> statement-breakpoint
CREATE INDEX "assessments_due_before_start_index" ON "assessments" USING btree ("clock_start_on") WHERE "assessments"."due_at" is null or "assessments"."due_at" < ("assessments"."clock_start_on"::timestamp at time zone 'Europe/London');