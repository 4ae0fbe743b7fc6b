import type { Rag } from './engine/performance.ts';

/**
 * How a RAG judgement is shown everywhere (pages, report print views, spreadsheets): in words as
 * well as colour, so colour is never the only signal. The colour is a GOV.UK tag's (amber is its yellow).
 */
export const ragLabel: Record<Rag, string> = { green: 'On target', amber: 'Near target', red: 'Below target' };
export const ragColour = { green: 'green', amber: 'yellow', red: 'red' } as const satisfies Record<Rag, string>;
