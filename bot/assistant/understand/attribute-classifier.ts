import { fold } from "../../../indexer/index.ts";
import { ATTRIBUTE_EXAMPLES } from "./attribute-examples.ts";
import { ATTRIBUTES, type Attribute } from "./attributes.ts";

/**
 * A small classifier of what a question asks: one logistic regression per attribute over the folded
 * words and word pairs of the question, learnt from the examples in attribute-examples.ts when first
 * used (a few ms). It reads paraphrases that no cue list names ("do ai lập", "who put it up"): the cue
 * lists (attributes.ts) stay the precise first reading, and this one fills in where they find nothing.
 */
export type AttributeGuess = { attribute: Attribute; p: number };

export type Model = {
  features: Map<string, number>;
  /** weights[attribute][feature], plus a bias at index 0. */
  weights: Float64Array[];
};

let model: Model | undefined;

const POSITIVE_WEIGHT_MAX = 3;

/** Each attribute with the probability that the question asks it, most likely first. */
export function guessAttributes(question: string): AttributeGuess[] {
  const m = (model ??= train(parseExamples(ATTRIBUTE_EXAMPLES)));
  const p = probabilities(m, question);
  return ATTRIBUTES.map((attribute, a) => ({ attribute, p: p[a] as number })).sort((x, y) => y.p - x.p);
}

/** The probability of each of a model's labels, in the order it was trained with. */
export function probabilities(m: Model, text: string): number[] {
  const ids = featuresOf(text)
    .map((f) => m.features.get(f))
    .filter((i): i is number => i !== undefined);
  return m.weights.map((w) => {
    let z = w[0] as number;
    for (const i of ids) z += w[i] as number;
    return 1 / (1 + Math.exp(-z));
  });
}

/** The folded words of a text (digits as "#"), and each pair of neighbouring words. */
export function featuresOf(text: string): string[] {
  const words = fold(text.toLowerCase())
    .replace(/\d+/g, "#")
    .split(/[^\p{L}#]+/u)
    .filter((w) => w.length > 0);
  const out = new Set(words);
  for (let i = 1; i < words.length; i++) out.add(`${words[i - 1]} ${words[i]}`);
  return [...out];
}

type Example<L extends string = Attribute> = { labels: ReadonlySet<L>; features: string[] };

/** Parses "label, label | question" lines; "none" labels a question that asks none of them. */
export function parseExamples<L extends string = Attribute>(
  text: string,
  labels: readonly L[] = ATTRIBUTES as unknown as readonly L[],
  source = "attribute-examples",
): Example<L>[] {
  const known = new Set<string>(labels);
  const out: Example<L>[] = [];
  for (const [n, line] of text.split("\n").entries()) {
    if (!line.trim()) continue;
    const bar = line.indexOf("|");
    const ls = line
      .slice(0, bar)
      .split(",")
      .map((l) => l.trim());
    const question = line.slice(bar + 1).trim();
    for (const l of ls)
      if (l !== "none" && !known.has(l)) throw new Error(`${source} line ${n}: unknown label "${l}"`);
    if (bar < 0 || !question) throw new Error(`${source} line ${n}: expected "label | question"`);
    out.push({ labels: new Set(ls.filter((l) => l !== "none") as L[]), features: featuresOf(question) });
  }
  return out;
}

/** One-vs-rest logistic regression, trained by stochastic gradient descent in a fixed order. */
export function train<L extends string>(
  examples: readonly Example<L>[],
  labels: readonly L[] = ATTRIBUTES as unknown as readonly L[],
): Model {
  const features = new Map<string, number>();
  for (const e of examples)
    for (const f of e.features) if (!features.has(f)) features.set(f, features.size + 1);
  const rows = examples.map((e) => ({
    labels: e.labels,
    ids: e.features.map((f) => features.get(f) as number),
  }));
  const weights = labels.map(() => new Float64Array(features.size + 1));
  const epochs = 30;
  const l2 = 1e-4;
  // Each attribute has a few examples among hundreds: its own count more, so that one telling word
  // ("rộng", "phạt") is enough, as it is for a person.
  const positives = labels.map((a) => rows.filter((r) => r.labels.has(a)).length);
  for (let epoch = 0; epoch < epochs; epoch++) {
    const rate = 0.5 / (1 + epoch * 0.1);
    for (const [a, attribute] of labels.entries()) {
      const w = weights[a] as Float64Array;
      const up = Math.min(
        POSITIVE_WEIGHT_MAX,
        (rows.length - (positives[a] ?? 0)) / Math.max(1, positives[a] ?? 0),
      );
      for (const r of rows) {
        let z = w[0] as number;
        for (const i of r.ids) z += w[i] as number;
        const p = 1 / (1 + Math.exp(-z));
        const yes = r.labels.has(attribute);
        const g = ((yes ? 1 : 0) - p) * (yes ? up : 1);
        w[0] = (w[0] as number) + rate * g;
        for (const i of r.ids) w[i] = (w[i] as number) * (1 - rate * l2) + rate * g;
      }
    }
  }
  return { features, weights };
}
