/**
 * Where notifications go, from the environment. Nothing configured: nothing is sent, and
 * /alerts says so.
 *
 * - YARDSTICK_SMTP_URL (smtp://user:pass@host:587, smtps://…), or SMTP_HOST, SMTP_PORT,
 *   SMTP_USER, SMTP_PASS (SMTP_SECURE=true for TLS from the start, port 465)
 * - YARDSTICK_MAIL_FROM: the sender (default "Yardstick <yardstick@localhost>")
 * - YARDSTICK_PUBLIC_URL: the address people open Yardstick at, for links (default ORIGIN, else
 *   http://localhost:3000)
 * - YARDSTICK_TEAMS_WEBHOOK_URL: a Microsoft Teams incoming webhook (Workflows) URL
 */
export interface NotifyConfig {
	/** nodemailer SMTP transport options ({ url } or host, port, secure, auth); null when email is off. */
	smtp: SmtpOptions | null;
	from: string;
	publicUrl: string;
	teamsWebhookUrl: string | null;
}

export interface SmtpOptions {
	url?: string;
	host?: string;
	port?: number;
	secure?: boolean;
	auth?: { user: string; pass: string };
}

type Env = Record<string, string | undefined>;

export function configFromEnv(env: Env = process.env): NotifyConfig {
	let smtp: NotifyConfig['smtp'] = null;
	if (env.YARDSTICK_SMTP_URL?.trim()) smtp = { url: env.YARDSTICK_SMTP_URL.trim() };
	else if (env.SMTP_HOST?.trim()) {
		const port = Number(env.SMTP_PORT ?? 587);
		smtp = {
			host: env.SMTP_HOST.trim(),
			port: Number.isInteger(port) && port > 0 ? port : 587,
			secure: env.SMTP_SECURE === 'true' || port === 465,
			auth: env.SMTP_USER ? { user: env.SMTP_USER, pass: env.SMTP_PASS ?? '' } : undefined
		};
	}
	const publicUrl = (env.YARDSTICK_PUBLIC_URL || env.ORIGIN || 'http://localhost:3000').replace(/\/+$/, '');
	return {
		smtp,
		from: env.YARDSTICK_MAIL_FROM?.trim() || 'Yardstick <yardstick@localhost>',
		publicUrl,
		teamsWebhookUrl: env.YARDSTICK_TEAMS_WEBHOOK_URL?.trim() || null
	};
}

export interface NotificationStatus {
	email: boolean;
	teams: boolean;
	/** Sentences for /alerts: what is sent, or why not. */
	messages: string[];
}

/** What /alerts tells people about notifications (never the addresses or secrets themselves). */
export function describe(config: NotifyConfig): NotificationStatus {
	const email = config.smtp !== null;
	const teams = config.teamsWebhookUrl !== null;
	return {
		email,
		teams,
		messages: [
			email
				? 'Email alerts are on: team leads are emailed at once about statutory breaches (FOI, subject access), and get a digest of warnings at 08:00 on working days.'
				: 'Email alerts are off: SMTP is not configured (set YARDSTICK_SMTP_URL or SMTP_HOST).',
			teams
				? 'Microsoft Teams messages are on: statutory breaches and the morning digest are posted to the team channel.'
				: 'Microsoft Teams messages are off: no webhook is configured (set YARDSTICK_TEAMS_WEBHOOK_URL).'
		]
	};
}

/** The same, for people who cannot change the configuration: whether each is on, in words, and whom to ask. */
export function inWords(status: NotificationStatus): string[] {
	if (!status.email && !status.teams) return ['Email alerts and Microsoft Teams messages are off: ask your administrator if your team should get them.'];
	return [
		status.email ? status.messages[0]! : 'Email alerts are off: ask your administrator if your team should get them.',
		status.teams ? status.messages[1]! : 'Microsoft Teams messages are off: ask your administrator if your team should get them.'
	];
}

/** An error message safe to store and log: credentials in any URL are masked. */
export function redactError(error: unknown): string {
	const message = error instanceof Error ? error.message : String(error);
	return message.replace(/(\w+:\/\/)[^/@\s]+@/g, '$1***@').slice(0, 500);
}
