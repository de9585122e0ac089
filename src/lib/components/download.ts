/** Hands `text` (of MIME type `type`), or a ready `blob`, to the browser as a download named `name`. */
export function download(
	opts: { name: string; type: string; text: string } | { name: string; blob: Blob }
): void {
	const blob = 'blob' in opts ? opts.blob : new Blob([opts.text], { type: opts.type });
	const url = URL.createObjectURL(blob);
	const link = document.createElement('a');
	link.href = url;
	link.download = opts.name;
	link.rel = 'noopener';
	document.body.append(link);
	link.click();
	link.remove();
	// After the click has been handled: revoking at once can cancel the download in some browsers.
	setTimeout(() => URL.revokeObjectURL(url), 0);
}
