-- Statement keys (docs/architecture.md "Statement keys"). A foreign key checks each row it guards by a query
-- of its own, with a trigger event and a row lock a row: on the tables an import and the scoring job write
-- in bulk, six such keys took 6 s of a million-row import's 16 s insert floor, 2 s of its verdicts' 12 s and
-- 1.3 s of its alerts' 3.5 s (docs/performance.md, "Statement keys"). The same six keys are now held by
-- triggers that check a statement's rows together: its distinct keys are looked up and locked FOR KEY SHARE
-- (as a foreign key locks them) in one query, and a key not found fails the statement with the foreign key's
-- error (23503). On the referenced tables, a statement that deletes a row, or changes its key, while it is
-- still referenced fails the same way. The keys to contacts (ON DELETE CASCADE) stay foreign keys.
CREATE FUNCTION "statement_keys_present"() RETURNS trigger LANGUAGE plpgsql AS $$
-- After each INSERT or UPDATE statement on the referencing table (REFERENCING NEW TABLE AS new_rows).
-- TG_ARGV, four a key: its name, this table's columns, the table referenced, its columns (in the same order).
DECLARE
	i integer := 0;
	wanted text;
	wanted_count bigint;
	held_count bigint;
	missing text;
BEGIN
	WHILE i < TG_NARGS LOOP
		-- The statement's distinct keys; one with a null column refers to nothing (as a foreign key's MATCH SIMPLE).
		wanted := format('SELECT DISTINCT %1$s FROM new_rows WHERE (%1$s) IS NOT NULL', TG_ARGV[i + 1]);
		EXECUTE format('SELECT count(*) FROM (%s) AS k', wanted) INTO wanted_count;
		IF wanted_count > 0 THEN
			-- Until this transaction ends, no one deletes a row referenced here or changes its key.
			EXECUTE format('SELECT count(*) FROM (SELECT 1 FROM %1$I AS p WHERE (%2$s) IN (%3$s) FOR KEY SHARE OF p) AS held', TG_ARGV[i + 2], TG_ARGV[i + 3], wanted)
				INTO held_count;
			IF held_count < wanted_count THEN
				EXECUTE format('SELECT row(%1$s)::text FROM (%2$s) AS k WHERE (%1$s) NOT IN (SELECT %3$s FROM %4$I) LIMIT 1', TG_ARGV[i + 1], wanted, TG_ARGV[i + 3], TG_ARGV[i + 2])
					INTO missing;
				RAISE foreign_key_violation USING
					MESSAGE = format('insert or update on table "%s" violates key "%s"', TG_TABLE_NAME, TG_ARGV[i]),
					DETAIL = format('Key (%s)=%s is not present in table "%s".', TG_ARGV[i + 1], missing, TG_ARGV[i + 2]);
			END IF;
		END IF;
		i := i + 4;
	END LOOP;
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION "statement_keys_kept"() RETURNS trigger LANGUAGE plpgsql AS $$
-- After each DELETE or UPDATE statement on a referenced table (REFERENCING OLD TABLE AS old_rows).
-- TG_ARGV, four a key: its name, this table's columns, the referencing table, its columns (in the same order).
-- A row whose key is gone (deleted, or its key changed) must not be referenced. The referencing rows are read
-- only when a key went: an update of a name reads nothing more.
DECLARE
	i integer := 0;
	referenced text;
BEGIN
	WHILE i < TG_NARGS LOOP
		EXECUTE format('SELECT row(%1$s)::text FROM (SELECT %1$s FROM old_rows WHERE (%1$s) NOT IN (SELECT %1$s FROM %2$I) OFFSET 0) AS gone
				WHERE (%1$s) IN (SELECT %4$s FROM %3$I) LIMIT 1', TG_ARGV[i + 1], TG_TABLE_NAME, TG_ARGV[i + 2], TG_ARGV[i + 3])
			INTO referenced;
		IF referenced IS NOT NULL THEN
			RAISE foreign_key_violation USING
				MESSAGE = format('update or delete on table "%s" violates key "%s" on table "%s"', TG_TABLE_NAME, TG_ARGV[i], TG_ARGV[i + 2]),
				DETAIL = format('Key (%s)=%s is still referenced from table "%s".', TG_ARGV[i + 1], referenced, TG_ARGV[i + 2]);
		END IF;
		i := i + 4;
	END LOOP;
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION "statement_keys_truncate"() RETURNS trigger LANGUAGE plpgsql AS $$
-- Before TRUNCATE of a referenced table, which fires no delete trigger. TG_ARGV, two a key: its name, the referencing table.
DECLARE
	i integer := 0;
	referencing boolean;
BEGIN
	WHILE i < TG_NARGS LOOP
		EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I)', TG_ARGV[i + 1]) INTO referencing;
		IF referencing THEN
			RAISE foreign_key_violation USING
				MESSAGE = format('cannot truncate table "%s": key "%s" on table "%s" refers to it', TG_TABLE_NAME, TG_ARGV[i], TG_ARGV[i + 1]),
				HINT = format('Truncate table "%s" first.', TG_ARGV[i + 1]);
		END IF;
		i := i + 2;
	END LOOP;
	RETURN NULL;
END $$;
--> statement-breakpoint
ALTER TABLE "contacts" DROP CONSTRAINT "contacts_service_fk";--> statement-breakpoint
ALTER TABLE "contacts" DROP CONSTRAINT "contacts_team_fk";--> statement-breakpoint
-- It was there for contacts_team_fk only: the statement key finds a team by its primary key.
ALTER TABLE "teams" DROP CONSTRAINT "teams_id_organisationId_unique";--> statement-breakpoint
ALTER TABLE "assessments" DROP CONSTRAINT "assessments_standard_version_id_standard_versions_id_fk";--> statement-breakpoint
ALTER TABLE "alerts" DROP CONSTRAINT "alerts_organisation_id_organisations_id_fk";--> statement-breakpoint
ALTER TABLE "alerts" DROP CONSTRAINT "alerts_standard_id_standards_id_fk";--> statement-breakpoint
ALTER TABLE "alerts" DROP CONSTRAINT "alerts_team_id_teams_id_fk";--> statement-breakpoint
-- A contact's service and team are its own organisation's.
CREATE TRIGGER "contacts_keys_insert" AFTER INSERT ON "contacts" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
	EXECUTE FUNCTION "statement_keys_present"('contacts_service_key', 'service_id, organisation_id', 'services', 'id, organisation_id',
		'contacts_team_key', 'team_id, organisation_id', 'teams', 'id, organisation_id');--> statement-breakpoint
CREATE TRIGGER "contacts_keys_update" AFTER UPDATE ON "contacts" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
	EXECUTE FUNCTION "statement_keys_present"('contacts_service_key', 'service_id, organisation_id', 'services', 'id, organisation_id',
		'contacts_team_key', 'team_id, organisation_id', 'teams', 'id, organisation_id');--> statement-breakpoint
-- A verdict's standard version exists.
CREATE TRIGGER "assessments_keys_insert" AFTER INSERT ON "assessments" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
	EXECUTE FUNCTION "statement_keys_present"('assessments_version_key', 'standard_version_id', 'standard_versions', 'id');--> statement-breakpoint
CREATE TRIGGER "assessments_keys_update" AFTER UPDATE ON "assessments" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
	EXECUTE FUNCTION "statement_keys_present"('assessments_version_key', 'standard_version_id', 'standard_versions', 'id');--> statement-breakpoint
-- An alert's organisation, standard and team exist.
CREATE TRIGGER "alerts_keys_insert" AFTER INSERT ON "alerts" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
	EXECUTE FUNCTION "statement_keys_present"('alerts_organisation_key', 'organisation_id', 'organisations', 'id',
		'alerts_standard_key', 'standard_id', 'standards', 'id', 'alerts_team_key', 'team_id', 'teams', 'id');--> statement-breakpoint
CREATE TRIGGER "alerts_keys_update" AFTER UPDATE ON "alerts" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
	EXECUTE FUNCTION "statement_keys_present"('alerts_organisation_key', 'organisation_id', 'organisations', 'id',
		'alerts_standard_key', 'standard_id', 'standards', 'id', 'alerts_team_key', 'team_id', 'teams', 'id');--> statement-breakpoint
-- The referenced side: each table's keys above, and whom they are referenced from.
CREATE TRIGGER "services_keys_delete" AFTER DELETE ON "services" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
	EXECUTE FUNCTION "statement_keys_kept"('contacts_service_key', 'id, organisation_id', 'contacts', 'service_id, organisation_id');--> statement-breakpoint
CREATE TRIGGER "services_keys_update" AFTER UPDATE ON "services" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
	EXECUTE FUNCTION "statement_keys_kept"('contacts_service_key', 'id, organisation_id', 'contacts', 'service_id, organisation_id');--> statement-breakpoint
CREATE TRIGGER "teams_keys_delete" AFTER DELETE ON "teams" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
	EXECUTE FUNCTION "statement_keys_kept"('contacts_team_key', 'id, organisation_id', 'contacts', 'team_id, organisation_id', 'alerts_team_key', 'id', 'alerts', 'team_id');--> statement-breakpoint
CREATE TRIGGER "teams_keys_update" AFTER UPDATE ON "teams" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
	EXECUTE FUNCTION "statement_keys_kept"('contacts_team_key', 'id, organisation_id', 'contacts', 'team_id, organisation_id', 'alerts_team_key', 'id', 'alerts', 'team_id');--> statement-breakpoint
CREATE TRIGGER "standard_versions_keys_delete" AFTER DELETE ON "standard_versions" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
	EXECUTE FUNCTION "statement_keys_kept"('assessments_version_key', 'id', 'assessments', 'standard_version_id');--> statement-breakpoint
CREATE TRIGGER "standard_versions_keys_update" AFTER UPDATE ON "standard_versions" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
	EXECUTE FUNCTION "statement_keys_kept"('assessments_version_key', 'id', 'assessments', 'standard_version_id');--> statement-breakpoint
-- Every other table referenced here is referenced by foreign keys too, which already refuse to truncate it alone.
CREATE TRIGGER "standard_versions_keys_truncate" BEFORE TRUNCATE ON "standard_versions" FOR EACH STATEMENT
	EXECUTE FUNCTION "statement_keys_truncate"('assessments_version_key', 'assessments');--> statement-breakpoint
CREATE TRIGGER "organisations_keys_delete" AFTER DELETE ON "organisations" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
	EXECUTE FUNCTION "statement_keys_kept"('alerts_organisation_key', 'id', 'alerts', 'organisation_id');--> statement-breakpoint
CREATE TRIGGER "organisations_keys_update" AFTER UPDATE ON "organisations" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
	EXECUTE FUNCTION "statement_keys_kept"('alerts_organisation_key', 'id', 'alerts', 'organisation_id');--> statement-breakpoint
CREATE TRIGGER "standards_keys_delete" AFTER DELETE ON "standards" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
	EXECUTE FUNCTION "statement_keys_kept"('alerts_standard_key', 'id', 'alerts', 'standard_id');--> statement-breakpoint
CREATE TRIGGER "standards_keys_update" AFTER UPDATE ON "standards" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
	EXECUTE FUNCTION "statement_keys_kept"('alerts_standard_key', 'id', 'alerts', 'standard_id');
