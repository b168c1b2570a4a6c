/** Files in the browser: an answer's base64 saved as a download, a chosen file read as base64 (JSON-safe). */
const MIME: Record<string, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv;charset=utf-8',
};

export function downloadBase64(fileName: string, base64: string): void {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const ext = fileName.split('.').pop()?.toLowerCase() ?? '';
  const url = URL.createObjectURL(new Blob([bytes], { type: MIME[ext] ?? 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function readAsBase64(file: File): Promise<string> {
  return new Promise((done, fail) => {
    const r = new FileReader();
    r.onerror = () => fail(r.error ?? new Error('файл не прочитан'));
    r.onload = () => {
      const url = String(r.result);
      done(url.slice(url.indexOf(',') + 1));
    };
    r.readAsDataURL(file);
  });
}
