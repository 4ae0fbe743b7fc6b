import { describe, expect, it } from 'vitest';
import { defaultOrigin } from '../../../src/cli/origin.js';

describe("npm start's address when ORIGIN is not set", () => {
	it('is http://localhost on the port, so forms post over plain http', () => {
		expect(defaultOrigin({})).toBe('http://localhost:3000');
		expect(defaultOrigin({ PORT: '8080' })).toBe('http://localhost:8080');
		expect(defaultOrigin({ HOST: '0.0.0.0', PORT: '8080' })).toBe('http://localhost:8080');
		expect(defaultOrigin({ HOST: '::' })).toBe('http://localhost:3000');
	});

	it('is HOST when it names one address', () => {
		expect(defaultOrigin({ HOST: '127.0.0.1', PORT: '4000' })).toBe('http://127.0.0.1:4000');
		expect(defaultOrigin({ HOST: 'yardstick.council.internal' })).toBe('http://yardstick.council.internal:3000');
		expect(defaultOrigin({ HOST: '::1', PORT: '4000' })).toBe('http://[::1]:4000');
	});

	it('leaves ORIGIN, or a proxy’s protocol header, alone', () => {
		expect(defaultOrigin({ ORIGIN: 'https://yardstick.example.gov.uk' })).toBeNull();
		expect(defaultOrigin({ PROTOCOL_HEADER: 'x-forwarded-proto', HOST_HEADER: 'x-forwarded-host' })).toBeNull();
	});
});
