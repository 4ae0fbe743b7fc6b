import { defineConfig } from 'drizzle-kit';

// Used only by `npm run db:generate`; migrations are applied by the app itself (see migrate.ts).
export default defineConfig({
	dialect: 'postgresql',
	schema: './src/lib/server/db/schema/index.ts',
	out: './drizzle',
	casing: 'snake_case',
	strict: true
});
