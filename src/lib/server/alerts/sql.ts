import { sql, type SQL } from 'drizzle-orm';

/** An instant as a SQL timestamptz parameter (postgres.js takes no Date in raw SQL; PGlite does). */
export const instant = (at: Date): SQL => sql`${at.toISOString()}::timestamptz`;
