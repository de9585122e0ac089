/**
 * Redis streams, read by one loop per relay: a single blocking XREAD over every stream this
 * relay follows (the inboxes of the boards it owns, the outboxes of the boards its clients use
 * elsewhere), as y-redis reads its rooms' streams. Following or unfollowing a stream wakes the
 * loop through the relay's own wake stream, so a new board is read at once, not after the block
 * times out.
 *
 * Streams, not pub/sub: an entry stays in the stream until trimmed, so a reader that was busy
 * reads it later, in order (Hocuspocus's Redis extension uses pub/sub, which drops messages when
 * a subscriber lags). Each stream is capped at about MAX_LEN entries; a reader that falls further
 * behind than that, or misses an entry the owner numbered but could not append, sees a gap in the
 * owner's sequence numbers (messages.ts) and repairs it (`range`, forwarded-room.ts).
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../log.ts';

export const MAX_LEN = 10_000;
const BLOCK_MS = 1000;
const COUNT = 1000;

/** One entry and its stream id. */
export type EntryHandler = (entry: Uint8Array, id: string) => void;

interface Followed {
	cursor: string;
	handle: EntryHandler;
}

type XRangeReply = [id: Buffer, fields: Buffer[]][];

type XReadReply = [key: Buffer, entries: [id: Buffer, fields: Buffer[]][]][] | null;

export class StreamBus {
	readonly #redis: Redis;
	readonly #reader: Redis;
	readonly #wakeKey: string;
	readonly #log: Logger;
	readonly #followed = new Map<string, Followed>();
	#closed = false;
	#loop: Promise<void>;

	constructor(opts: {
		/** For writes (XADD) and lookups. */
		redis: Redis;
		/** A connection of its own, for the blocking read. */
		reader: Redis;
		wakeKey: string;
		logger: Logger;
	}) {
		this.#redis = opts.redis;
		this.#reader = opts.reader;
		this.#wakeKey = opts.wakeKey;
		this.#log = opts.logger;
		this.#loop = this.#run();
	}

	/** Appends one entry; resolves once Redis holds it. Appends on one bus keep their order. */
	append(key: string, entry: Uint8Array): Promise<unknown> {
		return this.#redis.xadd(
			key,
			'MAXLEN',
			'~',
			MAX_LEN,
			'*',
			'm',
			Buffer.from(entry.buffer, entry.byteOffset, entry.byteLength)
		);
	}

	/** The id of the stream's last entry ('0-0' when empty): follow from it to read what comes next. */
	async lastId(key: string): Promise<string> {
		return (await this.last(key)).id;
	}

	/** The stream's last entry and its id ('0-0' and null when empty). */
	async last(key: string): Promise<{ id: string; entry: Uint8Array | null }> {
		const reply = (await this.#redis.callBuffer(
			'XREVRANGE',
			key,
			'+',
			'-',
			'COUNT',
			1
		)) as XRangeReply;
		const [id, fields] = reply[0] ?? [];
		return { id: id?.toString() ?? '0-0', entry: fields?.[1] ?? null };
	}

	/**
	 * The entries strictly between two ids, in order: what a reader that saw `after` and then
	 * `before` missed, if the stream still holds it (a gap's repair, forwarded-room.ts).
	 */
	async range(key: string, after: string, before: string): Promise<[id: string, Uint8Array][]> {
		const reply = (await this.#redis.callBuffer(
			'XRANGE',
			key,
			`(${after}`,
			`(${before}`
		)) as XRangeReply;
		const out: [string, Uint8Array][] = [];
		for (const [id, fields] of reply) if (fields[1]) out.push([id.toString(), fields[1]]);
		return out;
	}

	/** Hands every entry after `from` to `handle`, in order, until `unfollow`. */
	follow(key: string, from: string, handle: EntryHandler): void {
		this.#followed.set(key, { cursor: from, handle });
		this.#wake();
	}

	unfollow(key: string): void {
		if (this.#followed.delete(key)) this.#wake();
	}

	async close(): Promise<void> {
		this.#closed = true;
		this.#reader.disconnect();
		await this.#loop;
	}

	#wake(): void {
		this.#redis
			.xadd(this.#wakeKey, 'MAXLEN', '~', 10, '*', 'w', '1')
			.catch((err: unknown) => this.#log.warn({ err }, 'could not wake the stream reader'));
	}

	async #run(): Promise<void> {
		while (!this.#closed) {
			const keys = [this.#wakeKey, ...this.#followed.keys()];
			// '$' for the wake stream: only wake-ups from now on; the keys above are already current.
			const ids = ['$', ...[...this.#followed.values()].map((f) => f.cursor)];
			let reply: XReadReply;
			try {
				reply = (await this.#reader.callBuffer(
					'XREAD',
					'COUNT',
					COUNT,
					'BLOCK',
					BLOCK_MS,
					'STREAMS',
					...keys,
					...ids
				)) as XReadReply;
			} catch (err) {
				if (this.#closed) return;
				this.#log.warn({ err }, 'reading the cluster streams failed; retrying');
				await new Promise((resolve) => setTimeout(resolve, 200));
				continue;
			}
			for (const [keyBuffer, entries] of reply ?? []) {
				const followed = this.#followed.get(keyBuffer.toString());
				if (!followed) continue;
				for (const [id, fields] of entries) {
					followed.cursor = id.toString();
					const value = fields[1];
					if (!value) continue;
					try {
						followed.handle(value, followed.cursor);
					} catch (err) {
						this.#log.error({ err, stream: keyBuffer.toString() }, 'a stream entry failed');
					}
					// A handler may unfollow (its board ended): stop handing it entries.
					if (this.#followed.get(keyBuffer.toString()) !== followed) break;
				}
			}
		}
	}
}
