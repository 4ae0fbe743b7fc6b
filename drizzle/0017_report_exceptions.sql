ALTER TABLE "standards" ADD COLUMN "ref" text;--> statement-breakpoint
ALTER TABLE "indicator_commentary" ADD COLUMN "action" text;--> statement-breakpoint
ALTER TABLE "indicator_commentary" ADD COLUMN "action_owner" text;--> statement-breakpoint
ALTER TABLE "indicator_commentary" ADD COLUMN "action_due" date;--> statement-breakpoint
ALTER TABLE "standards" ADD CONSTRAINT "standards_organisation_ref_unique" UNIQUE("organisation_id","ref");