/** Structured JSON logs (pino). Every line about a board carries `board`, about a socket `conn`. */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
	return pino({ level, base: { service: 'railyard' } });
}
