import { describe, expect, it } from "vitest";
import { bearer, request, type Session, signUp, uniqueEmail } from "../support/api";

async function invite(owner: Session, email: string, role: string) {
  return request(`/businesses/${owner.business.id}/members`, { method: "POST", headers: bearer(owner), json: { email, role } });
}

async function joinAs(owner: Session, role: "admin" | "staff"): Promise<Session> {
  const email = uniqueEmail(role);
  const { invite_token } = await (await invite(owner, email, role)).json<{ invite_token: string }>();
  const res = await request("/auth/accept-invite", { method: "POST", json: { token: invite_token, password: "staff password 1" } });
  expect(res.status).toBe(200);
  return res.json();
}

describe("members and roles", () => {
  it("invites someone without an account, who accepts and lands in the business", async () => {
    const owner = await signUp();
    const email = uniqueEmail("new");
    const res = await invite(owner, email, "staff");
    expect(res.status).toBe(201);
    const member = await res.json<Record<string, string>>();
    expect(member).toMatchObject({ email, role: "staff", status: "invited" });
    expect(member.invite_token).toMatch(/^inv_/);

    const accepted = await request("/auth/accept-invite", {
      method: "POST",
      json: { token: member.invite_token, password: "staff password 1" },
    });
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toMatchObject({ user: { email }, business: { id: owner.business.id } });

    const again = await request("/auth/accept-invite", {
      method: "POST",
      json: { token: member.invite_token, password: "staff password 1" },
    });
    expect(again.status).toBe(404);

    const login = await request("/auth/login", { method: "POST", json: { email, password: "staff password 1" } });
    expect(await login.json()).toMatchObject({ business: { id: owner.business.id } });
  });

  it("adds an existing user at once and refuses duplicates", async () => {
    const owner = await signUp();
    const other = await signUp();
    const res = await invite(owner, other.user.email, "admin");
    expect(await res.json()).toMatchObject({ status: "active", role: "admin" });
    expect((await invite(owner, other.user.email, "staff")).status).toBe(409);

    const login = await request("/auth/login", {
      method: "POST",
      json: { email: other.user.email, password: "correct horse battery", business_id: owner.business.id },
    });
    expect(await login.json()).toMatchObject({ business: { id: owner.business.id } });
  });

  it("keeps staff to scanning and reading: no keys, members or settings", async () => {
    const owner = await signUp();
    const staff = await joinAs(owner, "staff");
    const biz = owner.business.id;
    const attempts = [
      request(`/businesses/${biz}/api-keys`, { method: "POST", headers: bearer(staff), json: { name: "x", mode: "live" } }),
      request(`/businesses/${biz}/api-keys`, { headers: bearer(staff) }),
      request(`/businesses/${biz}/members`, { method: "POST", headers: bearer(staff), json: { email: uniqueEmail(), role: "staff" } }),
      request("/businesses/me", { method: "PATCH", headers: bearer(staff), json: { name: "Mine now" } }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(403);
      expect((await res.json<{ error: { code: string } }>()).error.code).toBe("forbidden");
    }
    expect((await request("/businesses/me", { headers: bearer(staff) })).status).toBe(200);
  });

  it("lets admins manage keys but not members", async () => {
    const owner = await signUp();
    const admin = await joinAs(owner, "admin");
    const biz = owner.business.id;
    expect(
      (await request(`/businesses/${biz}/api-keys`, { method: "POST", headers: bearer(admin), json: { name: "x", mode: "test" } })).status,
    ).toBe(201);
    expect((await request(`/businesses/${biz}/members`, { headers: bearer(admin) })).status).toBe(403);
  });

  it("lists members and never removes the last owner", async () => {
    const owner = await signUp();
    await joinAs(owner, "staff");
    const list = await (await request(`/businesses/${owner.business.id}/members`, { headers: bearer(owner) })).json<{
      data: Array<{ id: string; role: string }>;
    }>();
    expect(list.data.map((m) => m.role)).toEqual(["owner", "staff"]);
    const ownerMember = list.data[0]!;
    const res = await request(`/businesses/${owner.business.id}/members/${ownerMember.id}`, { method: "DELETE", headers: bearer(owner) });
    expect(res.status).toBe(409);
    const staffMember = list.data[1]!;
    expect(
      (await request(`/businesses/${owner.business.id}/members/${staffMember.id}`, { method: "DELETE", headers: bearer(owner) })).status,
    ).toBe(204);
  });

  it("a removed member's access token stops working", async () => {
    const owner = await signUp();
    const staff = await joinAs(owner, "staff");
    const list = await (await request(`/businesses/${owner.business.id}/members`, { headers: bearer(owner) })).json<{
      data: Array<{ id: string; role: string }>;
    }>();
    await request(`/businesses/${owner.business.id}/members/${list.data[1]!.id}`, { method: "DELETE", headers: bearer(owner) });
    expect((await request("/businesses/me", { headers: bearer(staff) })).status).toBe(401);
  });
});
