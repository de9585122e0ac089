/** What the bench orchestrator (run.ts) and its client process (driver.ts) say to each other. */

export type ServerKind = 'railyard' | 'reference';

export interface ServerInfo {
	kind: ServerKind;
	httpUrl: string;
	/** Base URL a stock y-websocket client is given; boards are `${syncUrl}/${boardId}`. */
	syncUrl: string;
}

export type Workload =
	| {
			name: 'fanout';
			rooms: number;
			clientsPerRoom: number;
			updatesPerSecond: number;
			seconds: number;
			/** Railyard only: a structure and a program lock on every board while it runs. */
			locks?: boolean;
	  }
	| { name: 'join-storm'; joiners: number; cards: number }
	| { name: 'cold-load'; cards: number }
	| { name: 'awareness-flood'; listeners: number; probes: number; floodMs: number; rate: number };

/** Figures a workload reports; the orchestrator adds the server's CPU and memory. */
export type Figures = Record<string, number>;

export type ToDriver =
	| { type: 'run'; workload: Workload; server: ServerInfo; boardFile: string | null }
	| { type: 'measuring' }
	| { type: 'restarted'; server: ServerInfo };

export type FromDriver =
	| { type: 'measure-start' }
	| { type: 'restart' }
	| { type: 'done'; figures: Figures }
	| { type: 'error'; message: string };
