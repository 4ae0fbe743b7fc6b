ALTER TABLE "contacts" ADD COLUMN "source_version" double precision;--> statement-breakpoint
ALTER TABLE "import_batches" ADD COLUMN "skipped_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "import_batches" ADD COLUMN "skipped_reasons" jsonb DEFAULT '[]'::jsonb NOT NULL;