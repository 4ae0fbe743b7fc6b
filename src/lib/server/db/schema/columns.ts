import { integer, timestamp } from 'drizzle-orm/pg-core';

/** Every instant is stored as timestamptz (UTC); local dates are derived in Europe/London. */
export const instant = (name?: string) =>
	name ? timestamp(name, { withTimezone: true, mode: 'date' }) : timestamp({ withTimezone: true, mode: 'date' });

export const createdAt = () => instant().notNull().defaultNow();

/** Every row carries its organisation: one database holds many councils (and could be distributed by it). */
export const organisationId = () => integer().notNull();
