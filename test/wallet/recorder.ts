import { env } from "cloudflare:test";

// The shared recording server's client (test/support/recorder.ts), plus what wallet client tests need.
export { program, type RecordedRequest, recorded } from "../support/recorder";

export const recorderUrl = (path: string) => `${env.RECORDER_ORIGIN}${path}`;

/** A path segment / identifier no other test uses: the recorder is shared by files running in parallel. */
export const unique = (label: string) => `${label}-${crypto.randomUUID().replace(/-/g, "")}`;
