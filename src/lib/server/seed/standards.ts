import type { Database } from '../db/client.ts';
import type { Reference } from './reference.ts';

export async function seedStandards(_tx: Database, _reference: Reference) {}
