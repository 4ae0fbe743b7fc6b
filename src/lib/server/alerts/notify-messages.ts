/** The words of alert notifications: plain text and HTML (everything escaped), and a Teams card. */
import { count } from '../../format.ts';
import { escapeHtml } from '../html.ts';

export interface NotifiedAlert {
	reference: string;
	contactType: string;
	standardCode: string;
	standardTitle: string;
	team: string;
	/** 'Thu 22 Jan 2026 23:59' */
	due: string;
}

export interface Message {
	subject: string;
	text: string;
	html: string;
}


const plural = (n: number, one: string, many: string) => count(n, one, many);

function htmlPage(title: string, body: string): string {
	return `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
		`<body style="font-family: Arial, sans-serif; color: #0b0c0c; line-height: 1.4">${body}</body></html>`;
}

function htmlTable(alerts: readonly NotifiedAlert[]): string {
	const cell = 'style="text-align: left; padding: 4px 12px 4px 0; border-bottom: 1px solid #b1b4b6"';
	const rows = alerts
		.map((a) => `<tr><td ${cell}>${escapeHtml(a.reference)}</td><td ${cell}>${escapeHtml(a.standardTitle)}</td><td ${cell}>${escapeHtml(a.due)}</td></tr>`)
		.join('');
	return `<table style="border-collapse: collapse"><thead><tr><th ${cell}>Reference</th><th ${cell}>Promise</th><th ${cell}>Due</th></tr></thead><tbody>${rows}</tbody></table>`;
}

const textLine = (a: NotifiedAlert) => `- ${a.reference} (${a.standardTitle}), due ${a.due}`;

/** Statutory breaches in one team, sent at once. */
export function breachMessage(alerts: readonly NotifiedAlert[], link: string): Message {
	const team = alerts[0]?.team ?? 'No team';
	const first = alerts[0];
	const subject = alerts.length === 1 && first
		? `Statutory deadline missed: ${first.reference} (${first.standardTitle}), ${team}`
		: `Statutory deadlines missed: ${alerts.length} contacts, ${team}`;
	const intro = `${plural(alerts.length, 'contact has', 'contacts have')} passed a statutory deadline in ${team}:`;
	const text = [intro, '', ...alerts.map(textLine), '', `Open the alert queue: ${link}`].join('\n');
	const html = htmlPage(
		subject,
		`<p>${escapeHtml(intro)}</p>${htmlTable(alerts)}<p><a href="${escapeHtml(link)}">Open the alert queue</a></p>`
	);
	return { subject, text, html };
}

/** The morning digest of warnings, grouped by team. */
export function digestMessage(alerts: readonly NotifiedAlert[], day: string, link: string): Message {
	const teams = new Map<string, NotifiedAlert[]>();
	for (const alert of alerts) teams.set(alert.team, [...(teams.get(alert.team) ?? []), alert]);
	const subject = `At risk today: ${plural(alerts.length, 'contact', 'contacts')} in ${plural(teams.size, 'team', 'teams')} (${day})`;
	const intro = `These contacts have used three quarters or more of the time their promise allows and are not answered yet.`;
	const text: string[] = [intro, ''];
	let html = `<p>${escapeHtml(intro)}</p>`;
	for (const [team, teamAlerts] of teams) {
		text.push(`${team} (${teamAlerts.length})`, ...teamAlerts.map(textLine), '');
		html += `<h2 style="font-size: 19px">${escapeHtml(team)} (${teamAlerts.length})</h2>${htmlTable(teamAlerts)}`;
	}
	text.push(`Open the alert queue: ${link}`);
	html += `<p><a href="${escapeHtml(link)}">Open the alert queue</a></p>`;
	return { subject, text: text.join('\n'), html: htmlPage(subject, html) };
}

/** A Microsoft Teams (Workflows incoming webhook) message: an Adaptive Card with the text and a link. */
export function teamsCard(title: string, text: string, link: string): Record<string, unknown> {
	return {
		type: 'message',
		attachments: [
			{
				contentType: 'application/vnd.microsoft.card.adaptive',
				content: {
					$schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
					type: 'AdaptiveCard',
					version: '1.4',
					body: [
						{ type: 'TextBlock', text: title, weight: 'Bolder', size: 'Medium', wrap: true },
						{ type: 'TextBlock', text, wrap: true }
					],
					actions: [{ type: 'Action.OpenUrl', title: 'Open the alert queue', url: link }]
				}
			}
		]
	};
}
