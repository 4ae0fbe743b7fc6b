/**
 * The first-run checklist an admin sees until the installation is ready: each step of moving a
 * council in, whether it is done, and where to do it. Ready means every organisation has a
 * service, a standard in force and a contact to measure; closure days, people and data sources
 * are steps most councils need but the dashboards work without.
 */
import { sql } from 'drizzle-orm';
import { rows, type Database } from '../db/client.ts';
import { count } from '../../format.ts';

export type StepState = 'done' | 'to do' | 'optional';

export interface Step {
	title: string;
	/** What is there now, in a phrase ("2 organisations", "none yet"). */
	summary: string;
	state: StepState;
	href: string;
}

export interface Checklist {
	ready: boolean;
	steps: Step[];
}

interface Counts {
	organisations: number;
	without_services: number;
	without_standards: number;
	services: number;
	teams: number;
	standards: number;
	closures: number;
	people: number;
	mappings: number;
	queues: number;
	contacts: number;
	unscored_organisations: number;
}

const plural = (n: number, one: string, many = `${one}s`) => count(n, one, many);

export async function checklist(db: Database): Promise<Checklist> {
	// One round trip of small counts; contacts only need to exist (exists, not count(*), on a big log).
	const [c] = await rows<Counts>(
		db,
		sql`select
			(select count(*)::int from organisations) as organisations,
			(select count(*)::int from organisations o where not exists (select 1 from services s where s.organisation_id = o.id)) as without_services,
			(select count(*)::int from organisations o where not exists (
				select 1 from standards st join standard_versions v on v.standard_id = st.id
				where st.organisation_id = o.id and (v.effective_to is null or v.effective_to > current_date))) as without_standards,
			(select count(*)::int from services) as services,
			(select count(*)::int from teams) as teams,
			(select count(*)::int from standards) as standards,
			(select count(*)::int from closure_days where date >= current_date - 366) as closures,
			(select count(*)::int from users where role <> 'admin') as people,
			(select count(*)::int from import_mappings) as mappings,
			(select count(*)::int from queue_mappings) as queues,
			(select count(*)::int from (select 1 from contacts limit 1) c) as contacts,
			(select count(*)::int from organisations o where not exists (select 1 from contacts c where c.organisation_id = o.id)) as unscored_organisations`
	);
	const n = c!;
	const steps: Step[] = [
		{
			title: 'Add your organisation',
			summary: n.organisations ? plural(n.organisations, 'organisation') : 'none yet',
			state: n.organisations ? 'done' : 'to do',
			href: '/admin/organisations'
		},
		{
			title: 'Add its services and teams',
			summary: n.services ? `${plural(n.services, 'service')}, ${plural(n.teams, 'team')}` : 'none yet',
			state: n.organisations && !n.without_services ? 'done' : 'to do',
			href: '/admin/organisations'
		},
		{
			title: 'Give it its standards',
			summary: n.standards ? plural(n.standards, 'standard') : 'none yet: adopt the catalogue’s or define your own',
			state: n.organisations && !n.without_standards ? 'done' : 'to do',
			href: '/admin/standards'
		},
		{
			title: 'Enter closure days',
			summary: n.closures ? plural(n.closures, 'closure day') : 'none this year (the days between Christmas and New Year, for example)',
			state: n.closures ? 'done' : 'optional',
			href: '/admin/calendars'
		},
		{
			title: 'Add the people who use Yardstick',
			summary: n.people ? plural(n.people, 'person', 'people') + ' besides administrators' : 'only administrators so far',
			state: n.people ? 'done' : 'optional',
			href: '/admin/users'
		},
		{
			title: 'Describe your data sources',
			summary: n.mappings || n.queues ? `${plural(n.mappings, 'import mapping')}, ${plural(n.queues, 'phone queue')} mapped` : 'no import mappings or phone queues yet',
			state: n.mappings || n.queues ? 'done' : 'optional',
			href: '/import'
		},
		{
			title: 'Import your first contact log',
			summary: n.contacts ? (n.unscored_organisations ? `${plural(n.unscored_organisations, 'organisation')} with no contacts yet` : 'contacts imported') : 'nothing imported yet',
			state: n.contacts && !n.unscored_organisations ? 'done' : 'to do',
			href: '/import'
		}
	];
	return { ready: steps.every((step) => step.state !== 'to do'), steps };
}
