import { createServer, type IncomingMessage, type Server } from "node:http";

/**
 * A local stand-in for every external service (APNs, Google, email, Stripe): it records each
 * request and answers as a test programs it. Tests reach it through `RECORDER_ORIGIN`.
 *   POST /__program {method?, path, bodyIncludes?, status, body?, headers?, times?}  queue an answer
 *   GET  /__requests?prefix=/3/device                                    what arrived
 */
interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  at: number;
}

interface ProgrammedAnswer {
  method?: string;
  path: string;
  /** Only requests whose body contains this text (shared endpoints, such as email's, told apart by recipient). */
  bodyIncludes?: string;
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  times?: number;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export function startRecorder(): Promise<{ server: Server; origin: string }> {
  const requests: RecordedRequest[] = [];
  const answers: ProgrammedAnswer[] = [];

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://recorder");
    const body = await readBody(req);
    const reply = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      const text = typeof payload === "string" ? payload : JSON.stringify(payload ?? {});
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(text);
    };

    if (url.pathname === "/__program" && req.method === "POST") {
      answers.push(JSON.parse(body) as ProgrammedAnswer);
      return reply(201, { ok: true });
    }
    if (url.pathname === "/__requests") {
      const prefix = url.searchParams.get("prefix") ?? "";
      return reply(
        200,
        requests.filter((r) => r.path.startsWith(prefix)),
      );
    }

    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) headers[name] = String(value);
    const path = url.pathname + url.search;
    requests.push({ method: req.method ?? "GET", path, headers, body, at: Date.now() });

    const index = answers.findIndex(
      (a) => path.startsWith(a.path) && (!a.method || a.method === req.method) && (!a.bodyIncludes || body.includes(a.bodyIncludes)),
    );
    const answer = index >= 0 ? answers[index] : undefined;
    if (!answer) return reply(200, {});
    if (answer.times !== undefined && --answer.times <= 0) answers.splice(index, 1);
    return reply(answer.status, answer.body ?? {}, answer.headers);
  });

  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      resolve({ server, origin: `http://127.0.0.1:${port}` });
    });
  });
}
