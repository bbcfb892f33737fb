import { generateKeyPairSync, randomBytes, randomUUID } from "node:crypto";
import { createServer as createHttpServer, type IncomingMessage, type Server } from "node:http";
import {
  constants,
  createSecureServer,
  type Http2SecureServer,
  type IncomingHttpHeaders,
  type ServerHttp2Session,
  type ServerHttp2Stream,
} from "node:http2";
import type { AddressInfo } from "node:net";
import forge from "node-forge";

/**
 * A local stand-in for Apple's push service: HTTP/2 over TLS (ALPN h2) with a self-signed certificate
 * made at start-up. It records every request it processes, answers as a test programs it per device
 * token (200 with an apns-id by default), and can send GOAWAY after N streams of a connection.
 * The same controls are served over plain HTTP/1.1 at `controlOrigin` for tests running in workerd:
 *   POST /answer {token, status, reason?, timestamp?, times?, hang?, delayMs?}
 *   GET  /requests?token=…     what arrived for that token
 *   POST /deliveries {tokens}  how many pushes each token received
 */
export interface StandInRequest {
  token: string;
  method: string;
  path: string;
  /** Regular headers (authorization, apns-topic, apns-push-type, apns-priority, …). */
  headers: Record<string, string>;
  body: string;
  /** 1 for the first connection the stand-in accepted, 2 for the next … */
  connection: number;
  streamId: number;
}

export interface StandInAnswer {
  status: number;
  reason?: string;
  timestamp?: number;
  /** Never answer (the relay's stream timeout then applies). */
  hang?: boolean;
  /** Answer after this long. */
  delayMs?: number;
  /** Answer this way this many times, then as before; default: always. */
  times?: number;
}

export interface ApnsStandIn {
  /** https://127.0.0.1:<port> */
  origin: string;
  /** The certificate to trust (PEM). */
  certificatePem: string;
  /** http://127.0.0.1:<port> */
  controlOrigin: string;
  /** Every processed request, in arrival order. */
  requests: StandInRequest[];
  stats: { connections: number; refusedStreams: number; peakConcurrentStreams: number };
  answer(token: string, answer: StandInAnswer): void;
  /** The next `connections` connections each process `streams` streams, then send GOAWAY and refuse the rest. */
  goAwayAfter(streams: number, connections?: number): void;
  /** Cuts every open connection, as a network failure would. */
  dropConnections(): void;
  close(): Promise<void>;
}

interface ConnectionState {
  number: number;
  processed: number;
  lastProcessedStreamId: number;
  goAwayAfter?: number;
  goneAway: boolean;
}

function selfSignedCertificate(): { key: string; cert: string } {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  cert.serialNumber = `01${randomBytes(8).toString("hex")}`;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 7 * 24 * 3600_000);
  // A name of its own: a trust store holding two stand-ins' certificates looks issuers up by name.
  const name = [{ name: "commonName", value: `APNs stand-in ${randomUUID()}` }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
    { name: "extKeyUsage", serverAuth: true },
    {
      name: "subjectAltName",
      altNames: [
        { type: 2, value: "localhost" },
        { type: 7, ip: "127.0.0.1" },
      ],
    },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(privateKey), forge.md.sha256.create());
  return { key: privateKey, cert: forge.pki.certificateToPem(cert) };
}

const listen = (server: Server | Http2SecureServer) =>
  new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));

function readAll(stream: ServerHttp2Stream | IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    stream.on("error", reject);
  });
}

export async function startApnsStandIn(options: { maxConcurrentStreams?: number } = {}): Promise<ApnsStandIn> {
  const { key, cert } = selfSignedCertificate();
  const requests: StandInRequest[] = [];
  const byToken = new Map<string, StandInRequest[]>();
  const answers = new Map<string, StandInAnswer>();
  const stats = { connections: 0, refusedStreams: 0, peakConcurrentStreams: 0 };
  const sessions = new Map<ServerHttp2Session, ConnectionState>();
  let goAway: { streams: number; connections: number } | null = null;
  let concurrent = 0;

  const server = createSecureServer({ key, cert, settings: { maxConcurrentStreams: options.maxConcurrentStreams ?? 1000 } });
  server.on("session", (session) => {
    const state: ConnectionState = { number: ++stats.connections, processed: 0, lastProcessedStreamId: 0, goneAway: false };
    if (goAway && goAway.connections > 0) {
      state.goAwayAfter = goAway.streams;
      if (--goAway.connections === 0) goAway = null;
    }
    sessions.set(session, state);
    session.on("close", () => sessions.delete(session));
    session.on("error", () => {});
  });

  server.on("stream", async (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => {
    const state = sessions.get(stream.session as ServerHttp2Session);
    stream.on("error", () => {});
    if (!state) return stream.close(constants.NGHTTP2_INTERNAL_ERROR);
    if (state.goAwayAfter !== undefined && state.processed >= state.goAwayAfter) {
      if (!state.goneAway) {
        state.goneAway = true;
        stream.session?.goaway(constants.NGHTTP2_NO_ERROR, state.lastProcessedStreamId);
      }
      stats.refusedStreams++;
      return stream.close(constants.NGHTTP2_REFUSED_STREAM);
    }
    state.processed++;
    state.lastProcessedStreamId = stream.id ?? 0;
    stats.peakConcurrentStreams = Math.max(stats.peakConcurrentStreams, ++concurrent);
    stream.on("close", () => concurrent--);

    const path = String(headers[":path"]);
    const token = decodeURIComponent(path.replace(/^\/3\/device\//, ""));
    const regular: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) if (!name.startsWith(":")) regular[name] = String(value);
    const request: StandInRequest = {
      token,
      method: String(headers[":method"]),
      path,
      headers: regular,
      body: await readAll(stream),
      connection: state.number,
      streamId: stream.id ?? 0,
    };
    requests.push(request);
    byToken.set(token, [...(byToken.get(token) ?? []), request]);

    const programmed = answers.get(token);
    if (programmed?.times !== undefined && --programmed.times <= 0) answers.delete(token);
    if (programmed?.hang) return;
    if (programmed?.delayMs) await new Promise((resolve) => setTimeout(resolve, programmed.delayMs));
    const status = programmed?.status ?? 200;
    const apnsId = regular["apns-id"] ?? randomUUID().toUpperCase();
    if (stream.closed) return;
    stream.respond({ ":status": status, "apns-id": apnsId, ...(status === 200 ? {} : { "content-type": "application/json" }) });
    stream.end(status === 200 ? undefined : JSON.stringify({ reason: programmed?.reason, timestamp: programmed?.timestamp }));
  });

  const control = createHttpServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://control");
    const body = await readAll(req);
    res.setHeader("content-type", "application/json");
    if (req.method === "POST" && url.pathname === "/answer") {
      const { token, ...answer } = JSON.parse(body) as StandInAnswer & { token: string };
      answers.set(token, answer);
      res.writeHead(201).end("{}");
    } else if (req.method === "POST" && url.pathname === "/deliveries") {
      const { tokens } = JSON.parse(body) as { tokens: string[] };
      res.writeHead(200).end(JSON.stringify(tokens.map((token) => byToken.get(token)?.length ?? 0)));
    } else if (req.method === "GET" && url.pathname === "/requests") {
      res.writeHead(200).end(JSON.stringify(byToken.get(url.searchParams.get("token") ?? "") ?? []));
    } else {
      res.writeHead(404).end("{}");
    }
  });

  const [port, controlPort] = await Promise.all([listen(server), listen(control)]);
  return {
    origin: `https://127.0.0.1:${port}`,
    certificatePem: cert,
    controlOrigin: `http://127.0.0.1:${controlPort}`,
    requests,
    stats,
    answer: (token, answer) => answers.set(token, { ...answer }),
    goAwayAfter: (streams, connections = 1) => {
      goAway = { streams, connections };
    },
    dropConnections: () => {
      for (const session of sessions.keys()) session.destroy();
    },
    close: async () => {
      for (const session of sessions.keys()) session.destroy();
      await Promise.all([new Promise((r) => server.close(r)), new Promise((r) => control.close(r))]);
    },
  };
}
