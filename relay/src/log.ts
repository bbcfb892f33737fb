/** One JSON line per event on stdout, as Cloudflare's container logs and `npm run dev` show them. */
export type Log = (level: "info" | "warn" | "error", message: string, fields?: Record<string, unknown>) => void;

export const log: Log = (level, message, fields = {}) => {
  process.stdout.write(`${JSON.stringify({ level, message, ...fields })}\n`);
};

export const describeError = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));
