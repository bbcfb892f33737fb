/** Makes sure the object's alarm fires by `at`: an earlier alarm stays, a later one or none is moved to `at`. */
export async function wakeBy(storage: DurableObjectStorage, at: number): Promise<void> {
  const alarm = await storage.getAlarm();
  if (alarm === null || alarm > at) await storage.setAlarm(at);
}
