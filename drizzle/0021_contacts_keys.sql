-- A contact's organisation, service and team were held by three keys, each checked by a query of its own
-- for every row an import writes: 11 s of a million-row import's 37 s insert floor on a slow machine. Two
-- keys now hold the same and more: the contact's service is one of its own organisation's (a service row
-- carries its organisation's key), and so is its team. Adding them checks every stored contact once.
ALTER TABLE "teams" ADD CONSTRAINT "teams_id_organisationId_unique" UNIQUE("id","organisation_id");--> statement-breakpoint
ALTER TABLE "contacts" DROP CONSTRAINT "contacts_organisation_id_organisations_id_fk";--> statement-breakpoint
ALTER TABLE "contacts" DROP CONSTRAINT "contacts_service_id_services_id_fk";--> statement-breakpoint
ALTER TABLE "contacts" DROP CONSTRAINT "contacts_team_id_teams_id_fk";--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_service_fk" FOREIGN KEY ("service_id","organisation_id") REFERENCES "public"."services"("id","organisation_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_team_fk" FOREIGN KEY ("team_id","organisation_id") REFERENCES "public"."teams"("id","organisation_id") ON DELETE no action ON UPDATE no action;
