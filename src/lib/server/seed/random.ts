/**
 * A small seeded random source so the demo data is the same on every machine for the same seed.
 * sfc32 (Chris Doty-Humphrey's Small Fast Counter), seeded through a string hash.
 */
export class Random {
	#a: number;
	#b: number;
	#c: number;
	#d: number;

	constructor(seed: string) {
		let h = 1779033703 ^ seed.length;
		const next = () => {
			for (let i = 0; i < seed.length; i++) {
				h = Math.imul(h ^ seed.charCodeAt(i), 3432918353);
				h = (h << 13) | (h >>> 19);
			}
			h = Math.imul(h ^ (h >>> 16), 2246822507);
			h = Math.imul(h ^ (h >>> 13), 3266489909);
			return (h ^= h >>> 16) >>> 0;
		};
		this.#a = next();
		this.#b = next();
		this.#c = next();
		this.#d = next();
		for (let i = 0; i < 12; i++) this.next();
	}

	/** A float in [0, 1). */
	next(): number {
		const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
		this.#d = (this.#d + 1) | 0;
		this.#a = this.#b ^ (this.#b >>> 9);
		this.#b = (this.#c + (this.#c << 3)) | 0;
		this.#c = (this.#c << 21) | (this.#c >>> 11);
		this.#c = (this.#c + t) | 0;
		return (t >>> 0) / 4294967296;
	}

	/** An integer in [min, max], both inclusive. */
	int(min: number, max: number): number {
		return min + Math.floor(this.next() * (max - min + 1));
	}

	chance(probability: number): boolean {
		return this.next() < probability;
	}

	pick<T>(items: readonly T[]): T {
		return items[Math.floor(this.next() * items.length)]!;
	}

	/** Index chosen with probability proportional to its weight. */
	weighted(weights: readonly number[]): number {
		const total = weights.reduce((sum, w) => sum + w, 0);
		let r = this.next() * total;
		for (let i = 0; i < weights.length; i++) {
			r -= weights[i]!;
			if (r < 0) return i;
		}
		return weights.length - 1;
	}

	exponential(mean: number): number {
		return -Math.log(1 - this.next()) * mean;
	}

	normal(mean = 0, sd = 1): number {
		const u = 1 - this.next();
		const v = this.next();
		return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
	}

	logNormal(median: number, sigma: number): number {
		return median * Math.exp(this.normal(0, sigma));
	}

	/** Poisson count (Knuth for small means, normal approximation above). */
	poisson(mean: number): number {
		if (mean <= 0) return 0;
		if (mean > 40) return Math.max(0, Math.round(this.normal(mean, Math.sqrt(mean))));
		const limit = Math.exp(-mean);
		let k = 0;
		let p = this.next();
		while (p > limit) {
			k++;
			p *= this.next();
		}
		return k;
	}
}
