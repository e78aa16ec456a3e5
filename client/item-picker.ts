/** Inventory slots with a quantity each, to attach to a mail or offer in a trade. */
import type { Inventory } from "./api.ts";
import { itemName } from "./content.ts";

export type PickedItem = { slot: number; qty: number };

export class ItemPicker {
  private readonly list: HTMLElement;
  private inputs: { slot: number; input: HTMLInputElement }[] = [];

  constructor(list: HTMLElement) {
    this.list = list;
  }

  /** One row per bag slot; quantities start at 0 (or at what `picked` says). */
  render(items: Inventory["items"], picked: readonly PickedItem[] = []): void {
    const chosen = new Map(picked.map((p) => [p.slot, p.qty]));
    this.inputs = [];
    const rows = items.map((item) => {
      const row = document.createElement("li");
      const label = document.createElement("label");
      label.className = "picker-row";
      const text = document.createElement("span");
      text.textContent = `${itemName(item.itemId)} ×${item.quantity}`;
      const input = document.createElement("input");
      input.type = "number";
      input.min = "0";
      input.max = String(item.quantity);
      input.value = String(Math.min(chosen.get(item.slot) ?? 0, item.quantity));
      input.dataset.slot = String(item.slot);
      input.setAttribute("aria-label", `Quantity of ${itemName(item.itemId)}`);
      label.append(text, input);
      row.append(label);
      this.inputs.push({ slot: item.slot, input });
      return row;
    });
    if (rows.length === 0) {
      const empty = document.createElement("li");
      empty.className = "muted small";
      empty.textContent = "Your bags are empty.";
      rows.push(empty);
    }
    this.list.replaceChildren(...rows);
  }

  /** Slots with a quantity above 0, clamped to what the slot held when shown. */
  selected(): PickedItem[] {
    return pickedItems(
      this.inputs.map(({ slot, input }) => ({ slot, value: input.value, max: Number(input.max) })),
    );
  }
}

/** The picked slots from raw field values: whole numbers above 0, at most the stack. */
export function pickedItems(
  fields: readonly { slot: number; value: string; max: number }[],
): PickedItem[] {
  const picked: PickedItem[] = [];
  for (const f of fields) {
    const qty = Math.min(Math.floor(Number(f.value)), f.max);
    if (Number.isFinite(qty) && qty > 0) picked.push({ slot: f.slot, qty });
  }
  return picked;
}
