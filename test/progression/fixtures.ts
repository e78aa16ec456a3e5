import { randomUUID } from "node:crypto";
import type { PrismaClient } from "../../src/db/database.ts";

let counter = 0;

/** Inserts an account and a level-1 human warrior in town; returns both ids. */
export async function insertCharacter(
  prisma: PrismaClient,
  overrides: { accountId?: string; race?: string; job?: string; level?: number } = {},
): Promise<{ id: string; accountId: string }> {
  counter += 1;
  const accountId = overrides.accountId ?? randomUUID();
  if (!overrides.accountId) {
    await prisma.account.create({
      data: { id: accountId, email: `p${counter}.${randomUUID()}@example.com`, passwordHash: "x" },
    });
  }
  const id = randomUUID();
  const name = `Hero${counter}_${id.slice(0, 6)}`;
  await prisma.character.create({
    data: {
      id,
      accountId,
      name,
      nameKey: name.toLowerCase(),
      race: overrides.race ?? "human",
      job: overrides.job ?? "warrior",
      level: overrides.level ?? 1,
      zone: "town",
      x: 100,
      y: 120,
      hp: 271,
      mp: 150,
    },
  });
  return { id, accountId };
}
