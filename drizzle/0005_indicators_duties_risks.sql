CREATE TABLE "elections" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "elections_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"organisation_id" integer NOT NULL,
	"poll_on" date NOT NULL,
	"title" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "elections_organisationId_pollOn_title_unique" UNIQUE("organisation_id","poll_on","title")
);
--> statement-breakpoint
CREATE TABLE "risk_decisions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "risk_decisions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"organisation_id" integer NOT NULL,
	"risk_id" integer NOT NULL,
	"rule" text NOT NULL,
	"financial_year" smallint NOT NULL,
	"quarter" smallint NOT NULL,
	"current_likelihood" smallint NOT NULL,
	"suggested_likelihood" smallint NOT NULL,
	"decision" text NOT NULL,
	"evidence" jsonb,
	"note" text,
	"decided_by_id" text,
	"decided_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "risk_decisions_riskId_rule_financialYear_quarter_unique" UNIQUE("risk_id","rule","financial_year","quarter")
);
--> statement-breakpoint
ALTER TABLE "duties" ADD COLUMN "anchor_on" date;--> statement-breakpoint
ALTER TABLE "indicators" ADD COLUMN "amber_margin" numeric DEFAULT 5 NOT NULL;--> statement-breakpoint
ALTER TABLE "elections" ADD CONSTRAINT "elections_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risk_decisions" ADD CONSTRAINT "risk_decisions_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risk_decisions" ADD CONSTRAINT "risk_decisions_risk_id_risks_id_fk" FOREIGN KEY ("risk_id") REFERENCES "public"."risks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risk_decisions" ADD CONSTRAINT "risk_decisions_decided_by_id_users_id_fk" FOREIGN KEY ("decided_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;