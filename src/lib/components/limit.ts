/**
 * The browser cuts input at `maxlength` without a word; these say when it did, for the note
 * under the field (LimitNote.svelte): at the limit, or a paste that did not fit.
 */
type Field = HTMLInputElement | HTMLTextAreaElement;

export function atLimit(field: Field | undefined, maxlength: number | undefined): boolean {
	return maxlength !== undefined && !!field && field.value.length >= maxlength;
}

export function pasteCut(event: ClipboardEvent, field: Field | undefined, maxlength?: number) {
	if (maxlength === undefined || !field) return false;
	const pasted = event.clipboardData?.getData('text/plain') ?? '';
	const selected = (field.selectionEnd ?? 0) - (field.selectionStart ?? 0);
	return field.value.length - selected + pasted.length > maxlength;
}
