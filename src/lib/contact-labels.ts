/** Words for the case log's codes, shared by the list and the contact page. */
import { amount as unitAmount, type MeasureUnit } from './engine/rules.ts';
type TagColour = 'green' | 'red' | 'blue' | 'orange' | 'grey';

export const contactTypeNames: Record<string, string> = {
	phone: 'Phone call',
	callback: 'Callback',
	message: 'Phone message',
	email: 'Email',
	letter: 'Letter',
	complaint: 'Complaint',
	info: 'Information owed',
	sar: 'Subject access request',
	foi: 'FOI request',
	registration: 'Voter registration',
	'absent-vote': 'Postal or proxy vote',
	enquiry: 'Enquiry',
	governance: 'Governance advice',
	meeting: 'Meeting',
	'dp-complaint': 'Data protection complaint'
};

/** A verdict as a GOV.UK tag: the text always says it, so colour is never the only signal. */
export const statusTags: Record<string, { text: string; colour: TagColour }> = {
	met: { text: 'Met', colour: 'green' },
	breached: { text: 'Breached', colour: 'red' },
	open: { text: 'Open', colour: 'blue' },
	'due-today': { text: 'Due today', colour: 'orange' },
	'at-risk': { text: 'At risk', colour: 'orange' },
	overdue: { text: 'Overdue', colour: 'red' },
	excluded: { text: 'Excluded', colour: 'grey' },
	lapsed: { text: 'Lapsed (s.9(2))', colour: 'grey' }
};

/** '3 working days', '1 day', '0.5 hours': a margin late or early, without its sign. */
export function amount(value: number, unit: MeasureUnit): string {
	return unitAmount(Math.abs(value), unit);
}
