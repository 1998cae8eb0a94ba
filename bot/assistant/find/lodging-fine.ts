import type { ContentEntry, GuestKind } from "../../../indexer/index.ts";

/**
 * The lodging-fine calculator. The fines are data in content/lodging/*.md (`penalties`, with the offence
 * and the guest bracket each applies to); this picks the line for a kind of guest, a number of guests and
 * who runs the lodging. Organisations pay double the individual amount (the content says so per line
 * where a source gives the organisation's amount; otherwise it is doubled here, and said).
 */

export type FineQuery = {
  guest?: GuestKind;
  guests?: number;
  payer?: "individual" | "organisation";
};

type LodgingEntry = Extract<ContentEntry, { type: "lodging-rule" }>;
export type Penalty = LodgingEntry["lodging"]["penalties"][number];

/** One bracket of a fine, for the payer asked about. */
export type FineBracket = {
  guestsMin: number;
  guestsMax?: number;
  minVnd: number;
  maxVnd: number;
  /** The amount was doubled from the individual's (no organisation line in the content). */
  doubled: boolean;
  basis: string;
  confirmed: boolean;
};

export type FineResult = {
  entryId: string;
  offence: "stay-not-reported" | "foreigner-not-declared";
  guest: GuestKind;
  payer: "individual" | "organisation";
  /** Whether the payer was given or assumed (individual). */
  payerGiven: boolean;
  guests?: number;
  /** The bracket for `guests`; undefined when no count was given or no bracket covers it. */
  bracket?: FineBracket;
  /** Every bracket for this offence and payer, smallest first. */
  brackets: FineBracket[];
};

/** What the fine calculator needs before it can answer. */
export type FineMissing = "guest" | "guests";

const OFFENCE = { vn: "stay-not-reported", foreign: "foreigner-not-declared" } as const;

/** The fine for not reporting (vn) or not declaring (foreign) guests; undefined when the content has none. */
export function computeFine(
  entries: readonly ContentEntry[],
  q: FineQuery & { guest: GuestKind },
): FineResult | undefined {
  const offence = OFFENCE[q.guest];
  for (const e of entries) {
    if (e.type !== "lodging-rule") continue;
    const lines = e.lodging.penalties.filter((p) => p.offence === offence && p.guests);
    if (lines.length === 0) continue;
    const payer = q.payer ?? "individual";
    const individual = lines.filter((p) => p.payer === "individual");
    const brackets = individual
      .map((p): FineBracket => {
        const own = lines.find(
          (o) =>
            o.payer === "organisation" && o.guests?.min === p.guests?.min && o.guests?.max === p.guests?.max,
        );
        const g = p.guests as { min: number; max?: number };
        if (payer === "individual" || own) {
          const line = payer === "individual" ? p : (own as Penalty);
          return {
            guestsMin: g.min,
            ...(g.max !== undefined ? { guestsMax: g.max } : {}),
            minVnd: line.minVnd,
            maxVnd: line.maxVnd,
            doubled: false,
            basis: line.basis,
            confirmed: line.confirmed,
          };
        }
        return {
          guestsMin: g.min,
          ...(g.max !== undefined ? { guestsMax: g.max } : {}),
          minVnd: p.minVnd * 2,
          maxVnd: p.maxVnd * 2,
          doubled: true,
          basis: p.basis,
          confirmed: p.confirmed,
        };
      })
      .sort((a, b) => a.guestsMin - b.guestsMin);
    const n = q.guests;
    const bracket =
      n === undefined
        ? undefined
        : brackets.find((b) => n >= b.guestsMin && (b.guestsMax === undefined || n <= b.guestsMax));
    return {
      entryId: e.id,
      offence,
      guest: q.guest,
      payer,
      payerGiven: q.payer !== undefined,
      ...(n !== undefined ? { guests: n } : {}),
      ...(bracket ? { bracket } : {}),
      brackets,
    };
  }
  return undefined;
}
