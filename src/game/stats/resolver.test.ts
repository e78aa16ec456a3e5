import assert from "node:assert/strict";
import { createDefaultRegistry } from "./default-registry.ts";
import { sampleCharacterOutputs } from "./sample-character.ts";
import { compileSubsystems, resolveSnapshot, Resolver } from "./stats.ts";
import { capOf, contribution as c, subsystem } from "./test-helpers.ts";

describe("Resolver", () => {
  const small = [subsystem({ primary: [c("strength", "FLAT", 5, "race")] })];

  it("gives each character its own result when one resolver serves several in turn", () => {
    const registry = createDefaultRegistry({ withFormulas: true });
    const resolver = new Resolver(registry);
    const big = compileSubsystems(registry, sampleCharacterOutputs());
    const tiny = compileSubsystems(registry, small);
    const bigFirst = resolver.resolve(big);
    const tinyAfter = resolver.resolve(tiny);
    assert.deepStrictEqual(resolver.resolve(big), bigFirst);
    assert.deepStrictEqual(
      tinyAfter,
      resolveSnapshot(createDefaultRegistry({ withFormulas: true }), small),
    );
    assert.equal(tinyAfter.Primary.strength, 5);
    assert.equal("vitality" in tinyAfter.Primary, false);
  });

  it("keeps a compiled plan valid when the resolver later merges other characters", () => {
    const registry = createDefaultRegistry({ withFormulas: true });
    const resolver = new Resolver(registry);
    const plan = resolver.compile(compileSubsystems(registry, sampleCharacterOutputs()));
    const before = resolver.resolvePlan(plan, 3);
    // new dimension and system names re-rank the registry tables
    resolver.resolve(
      compileSubsystems(registry, [subsystem({ primary: [c("aaa_new", "FLAT", 1, "aardvark")] })]),
    );
    assert.deepStrictEqual(resolver.resolvePlan(plan, 3), before);
    assert.equal(before.Version, 3);
  });

  it("returns a fresh snapshot object on every resolvePlan call", () => {
    const registry = createDefaultRegistry();
    const resolver = new Resolver(registry);
    const plan = resolver.compile(compileSubsystems(registry, small));
    const a = resolver.resolvePlan(plan);
    const b = resolver.resolvePlan(plan);
    assert.notEqual(a, b);
    a.Primary.strength = 999;
    assert.equal(b.Primary.strength, 5);
  });

  it("throws when a compiled dimension name is not snake_case", () => {
    const registry = createDefaultRegistry();
    assert.throws(
      () => compileSubsystems(registry, [subsystem({ primary: [c("__proto__", "FLAT", 1)] })]),
      RangeError,
    );
  });

  it("reports caps of a caps-only dimension when the character has no contribution to it", () => {
    const registry = createDefaultRegistry();
    const s = resolveSnapshot(registry, [
      subsystem({ caps: [capOf("lifespan_years", "BASELINE", "max", 80)] }),
    ]);
    assert.deepEqual(s.CapsUsed, { lifespan_years: { Min: 0, Max: 80 } });
  });
});
