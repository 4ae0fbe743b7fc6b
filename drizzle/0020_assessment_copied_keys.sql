-- A verdict's organisation, service and team are copies of its contact's, its standard a copy of its
-- version's. Each copy had a foreign key of its own, checked on every verdict written: four lookups a
-- row, about 3 s of a million contacts' first scoring. The contact's and the version's keys already hold
-- the copies to real rows, and Yardstick never deletes an organisation, service, team or standard
-- (docs/performance.md, "Copied keys, COPY on PGlite, and reading by COPY").
ALTER TABLE "assessments" DROP CONSTRAINT "assessments_organisation_id_organisations_id_fk";--> statement-breakpoint
ALTER TABLE "assessments" DROP CONSTRAINT "assessments_standard_id_standards_id_fk";--> statement-breakpoint
ALTER TABLE "assessments" DROP CONSTRAINT "assessments_service_id_services_id_fk";--> statement-breakpoint
ALTER TABLE "assessments" DROP CONSTRAINT "assessments_team_id_teams_id_fk";
