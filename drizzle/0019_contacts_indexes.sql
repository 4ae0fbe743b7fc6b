-- The contacts table kept seven secondary indexes; each is written on every import, out of received order,
-- so each costs the import about 4 s a million rows. A crawl of every page, report and job on the demo found
-- one never used (organisation, status, received_at), one used only by a scan the evaluator does as fast
-- without it (team_id, status), and two replaced by one (organisation, contact_type, received_at): the
-- phone pages, the live service-level check and the set-up checklist use it (docs/performance.md).
DROP INDEX "contacts_organisation_id_received_at_index";--> statement-breakpoint
DROP INDEX "contacts_service_type_received_index";--> statement-breakpoint
DROP INDEX "contacts_team_id_status_index";--> statement-breakpoint
DROP INDEX "contacts_organisation_id_status_received_at_index";--> statement-breakpoint
CREATE INDEX "contacts_type_received_index" ON "contacts" USING btree ("organisation_id","contact_type","received_at");