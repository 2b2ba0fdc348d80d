/** Hands a fetched file to the browser as a download (a POST answer cannot be a plain link). */
export function saveFile(blob: Blob, fileName: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  // The download has taken the blob by the next tick; the URL is freed after a while anyway.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
