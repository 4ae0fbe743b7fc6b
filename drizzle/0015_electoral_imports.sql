-- Electoral data files (docs/interfaces.md "Electoral data files"): a council's own canvass (property or summary grain) and register changes (per change or per notice).
CREATE TABLE "canvass_counts" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "canvass_counts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"organisation_id" integer NOT NULL,
	"canvass_year" smallint NOT NULL,
	"route" smallint NOT NULL,
	"as_of" date,
	"properties" integer NOT NULL,
	"responses" integer NOT NULL,
	"import_batch_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "canvass_counts_responses_check" CHECK ("canvass_counts"."responses" >= 0 and "canvass_counts"."responses" <= "canvass_counts"."properties")
);
--> statement-breakpoint
ALTER TABLE "canvass_properties" ALTER COLUMN "polling_district" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "canvass_properties" ALTER COLUMN "contacted_on" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "canvass_properties" ADD COLUMN "import_batch_id" bigint;--> statement-breakpoint
ALTER TABLE "register_changes" ADD COLUMN "import_batch_id" bigint;--> statement-breakpoint
ALTER TABLE "register_notices" ADD COLUMN "determined_count" integer;--> statement-breakpoint
ALTER TABLE "register_notices" ADD COLUMN "included_count" integer;--> statement-breakpoint
ALTER TABLE "register_notices" ADD COLUMN "import_batch_id" bigint;--> statement-breakpoint
ALTER TABLE "canvass_counts" ADD CONSTRAINT "canvass_counts_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "canvass_counts_unique" ON "canvass_counts" USING btree ("organisation_id","canvass_year","route",coalesce("as_of", 'infinity'::date));