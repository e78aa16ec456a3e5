import type { PrismaClient } from "../db/database.ts";

const accountSelect = { id: true, email: true, passwordHash: true } as const;

export function createAccountRepository(prisma: PrismaClient) {
  return {
    findByEmail: (email: string) =>
      prisma.account.findUnique({ where: { email }, select: accountSelect }),
    create: (data: { id: string; email: string; passwordHash: string }) =>
      prisma.account.create({ data, select: { id: true } }),
    touchLastLogin: (id: string) =>
      prisma.account.update({
        where: { id },
        data: { lastLoginAt: new Date() },
        select: { id: true },
      }),
  };
}

export type AccountRepository = ReturnType<typeof createAccountRepository>;
