ALTER TABLE "standard_versions" ADD COLUMN "restartable" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "assessments" ADD COLUMN "fingerprint" text DEFAULT '' NOT NULL;--> statement-breakpoint
-- Databases seeded before this column existed: the catalogue's restartable clocks (FOIA s.1(3), UK GDPR Art. 12(3)).
UPDATE "standard_versions" SET "restartable" = true FROM "standards" WHERE "standards"."id" = "standard_versions"."standard_id" AND "standards"."code" IN ('foi.response', 'sar.statutory');
