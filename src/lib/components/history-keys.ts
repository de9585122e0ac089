/**
 * Which history command a key press asks for. Ctrl/Cmd+Z undoes; Ctrl/Cmd+Shift+Z and Ctrl+Y
 * redo. Inside a text field the keys are left alone: there they belong to the field being typed
 * in (the browser's own undo of the typing, which the live text session sends as splices), and
 * Escape already takes the whole edit back. The board's history is for everything else.
 */
export type HistoryCommand = 'undo' | 'redo';

export function historyCommand(event: KeyboardEvent): HistoryCommand | null {
	if (event.altKey || !(event.ctrlKey || event.metaKey) || isTextEntry(event.target)) return null;
	const key = event.key.toLowerCase();
	if (key === 'z') return event.shiftKey ? 'redo' : 'undo';
	if (key === 'y' && event.ctrlKey && !event.shiftKey) return 'redo';
	return null;
}

function isTextEntry(target: EventTarget | null): boolean {
	if (!(target instanceof HTMLElement)) return false;
	if (target.isContentEditable || target instanceof HTMLTextAreaElement) return true;
	if (!(target instanceof HTMLInputElement)) return false;
	return !['button', 'checkbox', 'radio', 'range', 'color', 'file', 'submit', 'reset'].includes(
		target.type
	);
}
