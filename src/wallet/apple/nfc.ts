/** Apple's limit on a pass's NFC message: 64 bytes once encoded as UTF-8 (not 64 characters). */
const NFC_MESSAGE_MAX_BYTES = 64;

const utf8Length = (text: string) => new TextEncoder().encode(text).length;

/** Why an NFC message does not fit, or null when it does. */
export function nfcMessageProblem(message: string): string | null {
  const bytes = utf8Length(message);
  return bytes > NFC_MESSAGE_MAX_BYTES
    ? `NFC message is ${bytes} bytes of UTF-8; Apple allows at most ${NFC_MESSAGE_MAX_BYTES} bytes`
    : null;
}
