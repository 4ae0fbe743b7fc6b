ALTER TABLE "import_batches" ADD COLUMN "file_hash" text;--> statement-breakpoint
ALTER TABLE "import_batches" ADD COLUMN "columns" jsonb;--> statement-breakpoint
ALTER TABLE "import_batches" ADD COLUMN "failure" text;