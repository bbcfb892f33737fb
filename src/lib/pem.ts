/**
 * PEM as it arrives from a secret: quoted, with literal `\n` sequences, or with CRLF line ends.
 * Returns PEM with real newlines that jose and forge can parse.
 */
export function normalizePem(value: string): string {
  return value
    .trim()
    .replace(/^(["'])([\s\S]*)\1$/, "$2")
    .replace(/\\r\\n|\\n/g, "\n")
    .replace(/\r\n?/g, "\n")
    .trim();
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\n(?:[A-Za-z-]+: [^\n]*\n)*\n?([A-Za-z0-9+/=\n]+)\n-----END \1-----/g;

/** The labels of the well-formed PEM blocks in `value` ("CERTIFICATE", "PRIVATE KEY", …). */
export function pemLabels(value: string): string[] {
  return [...normalizePem(value).matchAll(PEM_BLOCK)].map((match) => match[1]!);
}
