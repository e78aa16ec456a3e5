/**
 * TypeScript payload types → C# classes, read with the TypeScript checker from the client kit's
 * maps (`ClientPayloads`, `ServerPayloads`). The wire is msgpack with the TS field names, so the
 * C# fields keep them as they are. Mapping: string and string-literal unions → string, number →
 * double (the wire does not say int or float), boolean → bool, `T | null` and optional fields →
 * nullable, arrays → T[], string-keyed records → Dictionary, unknown → object, a union of object
 * types → one class with every member's fields (the `type` field says which). Object types named
 * in the kit become classes of their own; anonymous ones nest inside the class that uses them.
 */
import ts from "typescript";

export type CsField = { name: string; type: string; doc: string };
export type CsClass = { name: string; doc: string; fields: CsField[]; nested: CsClass[] };

/** The kit's files whose type alias names become C# class names. */
const NAMED_FROM = /clients\/js\/[a-z-]+\.ts$/;

export class CsharpTypes {
  /** Classes named after kit types, shared by every message that uses them. */
  readonly shared = new Map<string, CsClass>();
  private readonly checker: ts.TypeChecker;

  constructor(checker: ts.TypeChecker) {
    this.checker = checker;
  }

  /**
   * One class per property of `map` (a payload map type), named by `nameOf(property)`; a list
   * payload gets a class for one element, named in the singular.
   */
  classesOf(map: ts.Type, nameOf: (key: string) => string): { key: string; cls: CsClass }[] {
    return this.checker.getPropertiesOfType(map).map((prop) => {
      let { parts } = this.nonNull(this.checker.getTypeOfSymbol(prop));
      let name = nameOf(prop.name);
      if (parts.length === 1 && this.checker.isArrayType(parts[0]!)) {
        parts = this.nonNull(this.elementOf(parts[0]!)).parts;
        name = singular(name);
      }
      return { key: prop.name, cls: this.classOf(parts, name, this.docOf(prop)) };
    });
  }

  /** The C# type of one field; `scope` receives anonymous object types as nested classes. */
  private fieldType(type: ts.Type, suggested: string, scope: CsClass[], optional: boolean): string {
    const { parts, nullable } = this.nonNull(type);
    const cs = this.typeOf(parts, type.aliasSymbol ? type : undefined, suggested, scope);
    const valueType = cs === "double" || cs === "bool";
    return (nullable || optional) && valueType ? `${cs}?` : cs;
  }

  /** The C# type of the union of `parts` (one part: that type); `whole` names it, if named. */
  private typeOf(
    parts: readonly ts.Type[],
    whole: ts.Type | undefined,
    suggested: string,
    scope: CsClass[],
  ): string {
    const all = (flags: ts.TypeFlags) => parts.every((t) => t.flags & flags);
    if (all(ts.TypeFlags.StringLike | ts.TypeFlags.TemplateLiteral)) return "string";
    if (all(ts.TypeFlags.NumberLike)) return "double";
    if (all(ts.TypeFlags.BooleanLike)) return "bool";
    if (parts.some((t) => t.flags & (ts.TypeFlags.Unknown | ts.TypeFlags.Any))) return "object";
    const only = parts.length === 1 ? parts[0]! : undefined;
    if (only && this.checker.isArrayType(only)) {
      return `${this.fieldType(this.elementOf(only), singular(suggested), scope, false)}[]`;
    }
    const index = only && this.checker.getIndexInfoOfType(only, ts.IndexKind.String);
    if (only && index && this.checker.getPropertiesOfType(only).length === 0) {
      const value = this.fieldType(index.type, singular(suggested), scope, false);
      return `global::System.Collections.Generic.Dictionary<string, ${value}>`;
    }
    if (parts.every((t) => t.flags & ts.TypeFlags.Object || t.isIntersection())) {
      const named = this.kitName(whole ?? only);
      if (named) {
        if (!this.shared.has(named)) this.shared.set(named, this.classOf(parts, named, ""));
        return named;
      }
      const cls = this.classOf(parts, suggested, "");
      scope.push(cls);
      return cls.name;
    }
    const text = parts.map((t) => this.checker.typeToString(t)).join(" | ");
    throw new Error(`no C# type for ${text} (${suggested})`);
  }

  /** A class with the fields of every part (a union of object types gets all of them). */
  private classOf(parts: readonly ts.Type[], name: string, doc: string): CsClass {
    const cls: CsClass = { name, doc, fields: [], nested: [] };
    const seen = new Set<string>();
    for (const part of parts) {
      for (const prop of this.checker.getPropertiesOfType(part)) {
        if (seen.has(prop.name)) continue;
        seen.add(prop.name);
        const optional =
          (prop.flags & ts.SymbolFlags.Optional) !== 0 ||
          parts.some((p) => !this.checker.getPropertyOfType(p, prop.name));
        const type = this.checker.getTypeOfSymbol(prop);
        cls.fields.push({
          name: prop.name,
          type: this.fieldType(type, pascal(prop.name), cls.nested, optional),
          doc: this.docOf(prop),
        });
      }
    }
    return cls;
  }

  /** The members of `type` that are not null or undefined, and whether there were such. */
  private nonNull(type: ts.Type): { parts: readonly ts.Type[]; nullable: boolean } {
    if (!type.isUnion()) return { parts: [type], nullable: false };
    const nulls = ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void;
    const parts = type.types.filter((t) => !(t.flags & nulls));
    return { parts, nullable: parts.length !== type.types.length };
  }

  private elementOf(type: ts.Type): ts.Type {
    return this.checker.getTypeArguments(type as ts.TypeReference)[0]!;
  }

  /** The kit's alias name of `type`, if it was declared in the kit under a name. */
  private kitName(type: ts.Type | undefined): string | undefined {
    const symbol = type?.aliasSymbol;
    const file = symbol?.declarations?.[0]?.getSourceFile().fileName ?? "";
    return symbol && NAMED_FROM.test(file) && !type.aliasTypeArguments ? symbol.name : undefined;
  }

  private docOf(symbol: ts.Symbol): string {
    return ts.displayPartsToString(symbol.getDocumentationComment(this.checker));
  }
}

export function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** The class name of one element of a list field (`items` → `Item`). */
function singular(name: string): string {
  if (name.endsWith("ies")) return `${name.slice(0, -3)}y`;
  return name.length > 3 && name.endsWith("s") && !name.endsWith("ss") ? name.slice(0, -1) : name;
}
