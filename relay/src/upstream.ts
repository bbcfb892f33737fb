import { type ClientHttp2Session, type ClientHttp2Stream, connect, constants } from "node:http2";
import type { Notification } from "./batch.ts";
import { describeError, type Log } from "./log.ts";

/** What came back for one notification, in Apple's words. */
export interface PushResult {
  /** Apple's HTTP status; 0 when no answer came (`reason` then says why). */
  status: number;
  apnsId?: string;
  /** Apple's `reason` for an error status. */
  reason?: string;
  /** With 410: when Apple learnt the token was no longer valid (ms since the epoch). */
  timestamp?: number;
}

type Attempt =
  | { kind: "answered"; result: PushResult }
  // APNs certainly did not act on it (refused, above GOAWAY's last stream id, never sent): safe to send again.
  | { kind: "unprocessed"; reason: string }
  // It may have reached Apple, but no answer came: sending it again could deliver it twice.
  | { kind: "unknown"; reason: string };

export interface UpstreamOptions {
  origin: string;
  ca: string[];
  streamTimeoutMs: number;
  connectTimeoutMs: number;
  log: Log;
}

// Apple allows at most 1,000 concurrent streams per connection; hold no more open whatever a peer advertises.
const STREAM_CAP = 1000;
// A notification still waiting for a stream slot when its connection goes away moves to the next connection,
// this many times at most (it was never sent, so moving is not a re-send).
const MAX_MOVES = 5;

function answer(status: number, apnsId: string | undefined, chunks: Buffer[]): PushResult {
  const result: PushResult = { status };
  if (apnsId) result.apnsId = apnsId;
  if (status === 200) return result;
  try {
    const body: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    if (typeof body === "object" && body !== null) {
      if ("reason" in body && typeof body.reason === "string") result.reason = body.reason;
      if ("timestamp" in body && typeof body.timestamp === "number") result.timestamp = body.timestamp;
    }
  } catch {
    // Apple always sends JSON with errors; anything else leaves just the status.
  }
  return result;
}

/** One HTTP/2 connection to an APNs host, holding at most as many streams open as the peer allows. */
class Connection {
  private readonly session: ClientHttp2Session;
  private readonly options: UpstreamOptions;
  private readonly onRetired: (connection: Connection) => void;
  private readonly ready: Promise<void>;
  private readonly waiting: Array<{ grant: () => void; move: () => void }> = [];
  private active = 0;
  private usable = true;
  // After a GOAWAY, the highest stream id the peer says it processed (or may still process).
  private lastProcessedStreamId = Number.POSITIVE_INFINITY;

  constructor(options: UpstreamOptions, onRetired: (connection: Connection) => void) {
    this.options = options;
    this.onRetired = onRetired;
    const { origin, log } = options;
    const session = connect(origin, { ca: options.ca });
    this.session = session;
    let lastError: unknown;
    const timer = setTimeout(
      () => session.destroy(new Error(`no HTTP/2 connection to ${origin} within ${options.connectTimeoutMs} ms`)),
      options.connectTimeoutMs,
    );
    this.ready = new Promise<void>((resolve, reject) => {
      // The peer's first SETTINGS carries its stream limit; send nothing before it.
      session.once("remoteSettings", () => {
        clearTimeout(timer);
        resolve();
      });
      session.once("close", () => {
        clearTimeout(timer);
        reject(new Error(lastError ? describeError(lastError) : `connection to ${origin} closed`));
      });
    });
    this.ready.catch(() => {});
    session.on("connect", (_session, socket) => socket.setKeepAlive(true, 60_000));
    session.on("remoteSettings", () => this.pump());
    session.on("goaway", (code: number, lastStreamID: number, data?: Buffer) => {
      this.lastProcessedStreamId = lastStreamID;
      log("warn", "APNs sent GOAWAY", { origin, code, lastStreamID, debug: data?.toString("utf8") || undefined });
      this.retire();
    });
    session.on("error", (error) => {
      lastError = error;
      log("warn", "APNs connection error", { origin, error: describeError(error) });
    });
    session.on("close", () => this.retire());
  }

  /** A stream slot on this connection, or "moved" when the connection went away first. Throws when it never connected. */
  async acquire(): Promise<"granted" | "moved"> {
    await this.ready;
    if (!this.usable) return "moved";
    if (this.active < this.limit()) {
      this.active++;
      return "granted";
    }
    return new Promise((resolve) => this.waiting.push({ grant: () => resolve("granted"), move: () => resolve("moved") }));
  }

  /** Sends one notification on a granted slot. */
  send(notification: Notification, authorization: string): Promise<Attempt> {
    return new Promise((resolve) => {
      let done = false;
      const finish = (attempt: Attempt) => {
        if (done) return;
        done = true;
        this.release();
        resolve(attempt);
      };
      let stream: ClientHttp2Stream;
      try {
        stream = this.session.request({
          ":method": "POST",
          ":path": `/3/device/${notification.token}`,
          authorization,
          "apns-topic": notification.topic,
          "apns-push-type": notification.pushType,
          "apns-priority": String(notification.priority),
          "content-type": "application/json",
          "content-length": String(Buffer.byteLength(notification.payload)),
        });
      } catch (error) {
        // The session was already closing: nothing went out.
        finish({ kind: "unprocessed", reason: describeError(error) });
        return;
      }
      let status = 0;
      let apnsId: string | undefined;
      let streamError: unknown;
      const chunks: Buffer[] = [];
      const timeoutMs = this.options.streamTimeoutMs;
      stream.setTimeout(timeoutMs, () => {
        // A connection that stops answering may be dead: new streams go to a new one (retire before
        // the slot frees, so no waiting notification is handed this connection).
        this.retire();
        finish({ kind: "unknown", reason: `APNs did not answer within ${timeoutMs} ms` });
        stream.close(constants.NGHTTP2_CANCEL);
      });
      stream.on("response", (headers) => {
        status = Number(headers[":status"]);
        const id = headers["apns-id"];
        apnsId = Array.isArray(id) ? id[0] : id;
      });
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        if (status) finish({ kind: "answered", result: answer(status, apnsId, chunks) });
      });
      stream.on("error", (error) => {
        streamError = error;
      });
      stream.on("close", () => {
        if (status) return finish({ kind: "answered", result: answer(status, apnsId, chunks) });
        const refused =
          stream.rstCode === constants.NGHTTP2_REFUSED_STREAM || stream.id === undefined || stream.id > this.lastProcessedStreamId;
        const reason = streamError ? describeError(streamError) : `stream closed without an answer (HTTP/2 code ${stream.rstCode})`;
        finish(refused ? { kind: "unprocessed", reason } : { kind: "unknown", reason });
      });
      stream.end(notification.payload);
    });
  }

  /** No new streams here: open ones finish, waiting ones move to the next connection. */
  retire(): void {
    if (!this.usable) return;
    this.usable = false;
    this.onRetired(this);
    for (const waiter of this.waiting.splice(0)) waiter.move();
    this.session.close();
  }

  private limit(): number {
    return Math.min(this.session.remoteSettings.maxConcurrentStreams ?? 1, STREAM_CAP);
  }

  private release(): void {
    this.active--;
    this.pump();
  }

  private pump(): void {
    while (this.usable && this.waiting.length > 0 && this.active < this.limit()) {
      this.active++;
      this.waiting.shift()?.grant();
    }
  }
}

/** One APNs host (production or sandbox): a long-lived multiplexed connection, replaced when it goes away. */
export class Upstream {
  private readonly options: UpstreamOptions;
  private current: Connection | null = null;

  constructor(options: UpstreamOptions) {
    this.options = options;
  }

  /**
   * Sends one notification and returns Apple's answer. A notification APNs certainly did not process
   * (refused stream, above a GOAWAY's last stream id, or no connection) is sent again once, on a new
   * connection; one that may have been processed is never sent again.
   */
  async push(notification: Notification, authorization: string): Promise<PushResult> {
    let resent = false;
    let moves = 0;
    for (;;) {
      const connection = this.connection();
      let attempt: Attempt;
      try {
        if ((await connection.acquire()) === "moved") {
          if (++moves > MAX_MOVES) return { status: 0, reason: "APNs kept closing connections before the notification could be sent" };
          continue;
        }
        attempt = await connection.send(notification, authorization);
      } catch (error) {
        // The connection never came up, so nothing was sent on it.
        attempt = { kind: "unprocessed", reason: describeError(error) };
      }
      if (attempt.kind === "answered") return attempt.result;
      if (attempt.kind === "unknown" || resent) return { status: 0, reason: attempt.reason };
      resent = true;
    }
  }

  close(): void {
    this.current?.retire();
  }

  private connection(): Connection {
    if (this.current) return this.current;
    const connection = new Connection(this.options, (retired) => {
      if (this.current === retired) this.current = null;
    });
    this.current = connection;
    return connection;
  }
}
