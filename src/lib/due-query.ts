/**
 * The /due look-up's query string, parsed by one schema: the same inputs as `yardstick due`
 * (dates are Europe/London when no offset is given).
 */
import { z } from 'zod';

const optionalText = z
	.string()
	.trim()
	.transform((text) => (text === '' ? undefined : text))
	.optional();

export const dueQuerySchema = z.object({
	standard: z.string().trim().min(1, 'Choose a standard'),
	received: z.string().trim().min(1, 'Enter when the contact was received'),
	start: optionalText,
	pause_from: optionalText,
	pause_to: optionalText,
	extend: z.literal('yes').optional(),
	organisation: optionalText
});

export type DueQueryText = z.infer<typeof dueQuerySchema>;
