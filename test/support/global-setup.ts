import type { TestProject } from "vitest/node";
import { startRecorder } from "./recorder-server";

declare module "vitest" {
  export interface ProvidedContext {
    recorderOrigin: string;
  }
}

export default async function setup(project: TestProject) {
  const { server, origin } = await startRecorder();
  project.provide("recorderOrigin", origin);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
