ALTER TABLE "contacts" ADD COLUMN "created_by_batch_id" bigint;--> statement-breakpoint
ALTER TABLE "risks" ADD COLUMN "closed_on" date;--> statement-breakpoint
-- Contacts imported before this column: the import that last touched a contact created it when the contact was created while that import ran.
UPDATE "contacts" c SET "created_by_batch_id" = c."import_batch_id" FROM "import_batches" b
	WHERE b."id" = c."import_batch_id" AND c."created_at" >= b."started_at" AND c."created_at" <= coalesce(b."finished_at", now());
