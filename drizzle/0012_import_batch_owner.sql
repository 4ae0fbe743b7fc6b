ALTER TABLE "import_batches" ADD COLUMN "owner_host" text;--> statement-breakpoint
ALTER TABLE "import_batches" ADD COLUMN "owner_pid" integer;--> statement-breakpoint
ALTER TABLE "import_batches" ADD COLUMN "owner_token" text;--> statement-breakpoint
ALTER TABLE "import_batches" ADD COLUMN "heartbeat_at" timestamp with time zone;