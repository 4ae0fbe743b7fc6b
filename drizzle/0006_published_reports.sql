CREATE TABLE "published_reports" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "published_reports_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"organisation_id" integer NOT NULL,
	"kind" text NOT NULL,
	"financial_year" smallint NOT NULL,
	"quarter" smallint NOT NULL,
	"version" integer NOT NULL,
	"snapshot" jsonb NOT NULL,
	"content_hash" text NOT NULL,
	"published_by" text,
	"published_by_name" text NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "published_reports_version_unique" UNIQUE("organisation_id","kind","financial_year","quarter","version")
);
--> statement-breakpoint
ALTER TABLE "published_reports" ADD CONSTRAINT "published_reports_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "published_reports_list_index" ON "published_reports" USING btree ("organisation_id","published_at");