/** What a scanner read, taken apart: the raw text, the serial it names, and its signature if it carries one. */
export interface ScannedCode {
  text: string;
  serial: string;
  signature: string | null;
}

const VALIDATION_PATH = /^\/validate\/([^/]+)\/?$/;

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/**
 * A validation URL (`…/validate/{serial}?sig=…`, whatever its origin, so barcodes issued before an
 * APP_ORIGIN move still scan), or anything else: a bare serial or a merchant's `barcode_data`.
 */
export function readScannedCode(raw: string): ScannedCode {
  const text = raw.trim();
  if (/^https?:\/\//i.test(text) && URL.canParse(text)) {
    const url = new URL(text);
    const path = VALIDATION_PATH.exec(url.pathname);
    if (path) return { text, serial: decode(path[1]!), signature: url.searchParams.get("sig") };
  }
  return { text, serial: text, signature: null };
}
