import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	createCard,
	createLane,
	createPeriod,
	createProgram,
	deleteCard,
	spliceText
} from '$lib/model/index.ts';
import { Acknowledgements, changedTypes } from './acknowledgements.ts';

/** A client doc whose local updates are recorded, and a server doc that only gets what we send. */
function setup() {
	const client = new Y.Doc();
	const server = new Y.Doc();
	const acks = new Acknowledgements();
	const outbox: Uint8Array[] = [];
	client.on('update', (update: Uint8Array, origin: unknown, _doc: Y.Doc, tr: Y.Transaction) => {
		if (origin === 'server') return;
		acks.local(update, client.clientID, changedTypes(tr));
		outbox.push(update);
	});
	/** Deliver what is queued; the server echoes each accepted update like the relay does. */
	const deliver = () => {
		for (const update of outbox.splice(0)) {
			server.once('update', (echo: Uint8Array) => acks.serverUpdate(echo));
			Y.applyUpdate(server, update);
		}
	};
	return { client, server, acks, outbox, deliver };
}

describe('Acknowledgements', () => {
	it('counts changes until the server echoes them', () => {
		const { client, acks, deliver } = setup();
		const programId = createProgram(client, { name: 'Payments' });
		createLane(client, { programId, name: 'Checkout' });
		expect(acks.pending).toBe(2);
		deliver();
		expect(acks.pending).toBe(0);
	});

	it('holds a delete-only change until the server shows the delete', () => {
		const { client, acks, deliver } = setup();
		const programId = createProgram(client, { name: 'Payments' });
		const laneId = createLane(client, { programId, name: 'Checkout' });
		const periodId = createPeriod(client, { name: 'Q1' });
		const cardId = createCard(client, { laneId, periodId, title: 'Sandbox' });
		deliver();
		deleteCard(client, { id: cardId });
		expect(acks.pending).toBe(1);
		// Someone else's update carries no news of our delete.
		acks.serverUpdate(Y.encodeStateAsUpdate(new Y.Doc()));
		expect(acks.pending).toBe(1);
		deliver();
		expect(acks.pending).toBe(0);
	});

	it('learns from the server’s state vector and delete set after a reconnect', () => {
		const { client, server, acks, outbox } = setup();
		const programId = createProgram(client, { name: 'Payments' });
		createLane(client, { programId, name: 'Checkout' });
		// Sent, but the echo was lost with the connection.
		for (const update of outbox.splice(0)) Y.applyUpdate(server, update);
		expect(acks.pending).toBe(2);
		acks.serverStateVector(Y.encodeStateVector(server));
		expect(acks.pending).toBe(0);

		client.getMap('programs').delete(programId);
		for (const update of outbox.splice(0)) Y.applyUpdate(server, update);
		expect(acks.pending).toBe(1);
		// Sync step 2 from the server: everything we lack, plus its whole delete set.
		acks.serverUpdate(Y.encodeStateAsUpdate(server, Y.encodeStateVector(client)));
		expect(acks.pending).toBe(0);
	});

	it('counts a rename typed key by key as one change, and a change elsewhere as another', () => {
		const { client, acks, deliver } = setup();
		const programId = createProgram(client, { name: 'Payments' });
		deliver();
		for (const [index, letter] of [...' EU'].entries()) {
			spliceText(client, {
				collection: 'programs',
				id: programId,
				field: 'name',
				index: 8 + index,
				remove: 0,
				insert: letter
			});
		}
		expect(acks.pending).toBe(1);
		createLane(client, { programId, name: 'Checkout' });
		expect(acks.pending).toBe(2);
		deliver();
		expect(acks.pending).toBe(0);
	});
});
