import { type Credential, type GrantCache, guardName, keyGuardName, userGuardName } from "../domain/auth/grants";
import type { CredentialGuard } from "./credential-guard";

/** The credential guards, addressed by credential: what the API asks before a request and tells when a grant changes. */
export class Guards implements GrantCache {
  constructor(private readonly namespace: DurableObjectNamespace<CredentialGuard>) {}

  of(credential: Credential): DurableObjectStub<CredentialGuard> {
    return this.byName(guardName(credential));
  }

  /**
   * Drops the cached grants of these credentials before the change that prompted it is
   * answered, so no stale grant survives into the next request.
   */
  async forget(credentials: { keyHashes?: readonly string[]; userIds?: readonly string[] }): Promise<void> {
    const names = [...(credentials.keyHashes ?? []).map(keyGuardName), ...(credentials.userIds ?? []).map(userGuardName)];
    await Promise.all(names.map((name) => this.byName(name).forget()));
  }

  async endSession(userId: string, sessionId: string, tokensValidUntil: number): Promise<void> {
    await this.byName(userGuardName(userId)).endSession(sessionId, tokensValidUntil);
  }

  private byName(name: string): DurableObjectStub<CredentialGuard> {
    return this.namespace.get(this.namespace.idFromName(name));
  }
}
