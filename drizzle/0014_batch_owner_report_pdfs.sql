CREATE TABLE "report_pdfs" (
	"document_hash" text PRIMARY KEY NOT NULL,
	"pdf" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "import_batches" ADD COLUMN "owner_host" text;--> statement-breakpoint
ALTER TABLE "import_batches" ADD COLUMN "owner_pid" integer;--> statement-breakpoint
ALTER TABLE "import_batches" ADD COLUMN "owner_token" text;--> statement-breakpoint
ALTER TABLE "import_batches" ADD COLUMN "heartbeat_at" timestamp with time zone;