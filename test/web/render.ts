import type { FC } from "hono/jsx";
import { jsx } from "hono/jsx";

/** A page component rendered to its HTML, as a route sends it. */
export async function render<P extends object>(component: FC<P>, props: P): Promise<string> {
  return (await jsx(component, props)).toString();
}
