import { createServer, connect, type Socket } from 'node:net';

/**
 * A TCP proxy in front of PostgreSQL that sees what each connection sends. It counts the array
 * types query postgres.js sends first on a new connection, and can end a connection just as it
 * sends that query, the way pg_terminate_backend does (a restart or failover does the same).
 */
export interface PgProxy {
	/** The server URL with the proxy's address in place of PostgreSQL's. */
	url: string;
	/** Array types queries seen so far. */
	typeQueries(): number;
	/** Cut off the next `n` connections that ask for the array types, as they ask. */
	cutTypeQueries(n: number): void;
	close(): Promise<void>;
}

// postgres.js's query for the array types (src/connection.js, fetchArrayTypes).
const TYPES_QUERY = Buffer.from('b.typarray');

/** What pg_terminate_backend makes PostgreSQL send before it closes: ErrorResponse, FATAL 57P01. */
const TERMINATED = errorResponse({ S: 'FATAL', V: 'FATAL', C: '57P01', M: 'terminating connection due to administrator command' });

function errorResponse(fields: Record<string, string>): Buffer {
	const body = Buffer.concat([...Object.entries(fields).map(([code, text]) => Buffer.from(`${code}${text}\0`)), Buffer.from([0])]);
	const length = Buffer.alloc(4);
	length.writeUInt32BE(body.length + 4);
	return Buffer.concat([Buffer.from('E'), length, body]);
}

export async function startPgProxy(target: string): Promise<PgProxy> {
	const upstream = new URL(target);
	const sockets = new Set<Socket>();
	let seen = 0;
	let toCut = 0;
	const server = createServer((client) => {
		const backend = connect(Number(upstream.port || 5432), upstream.hostname);
		let cut = false;
		for (const socket of [client, backend]) {
			sockets.add(socket);
			socket.setNoDelay(true);
			socket.on('close', () => sockets.delete(socket));
			socket.on('error', () => {});
		}
		client.on('data', (data) => {
			if (data.includes(TYPES_QUERY)) {
				seen++;
				if (toCut > 0) {
					toCut--;
					// The client is told first, then closed once that is sent; PostgreSQL's end is only dropped.
					cut = true;
					client.end(TERMINATED);
					backend.destroy();
					return;
				}
			}
			backend.write(data);
		});
		backend.pipe(client);
		client.on('close', () => backend.destroy());
		backend.on('close', () => cut || client.destroy());
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	if (!address || typeof address === 'string') throw new Error('the proxy has no port');
	const url = new URL(target);
	url.hostname = '127.0.0.1';
	url.port = String(address.port);
	return {
		url: url.toString(),
		typeQueries: () => seen,
		cutTypeQueries: (n) => {
			toCut = n;
		},
		close: () => {
			for (const socket of sockets) socket.destroy();
			return new Promise((resolve) => server.close(() => resolve()));
		}
	};
}
