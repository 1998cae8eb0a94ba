/** Finding the facts: a frame → the fact units that state what it asks, or what a calculator computes. */
export { buildCatalog, entryText, type Catalog } from "./catalog.ts";
export { buildFactIndex, type FactIndex, type FactUnit } from "./facts.ts";
export { createFinder, statusOf, type Finder, type FinderDeps, type Finding } from "./find.ts";
export { computeDeadlines, dueAt, hhmm, type ComputedDeadline } from "./lodging-deadline.ts";
export { computeFine, type FineBracket, type FineQuery, type FineResult } from "./lodging-fine.ts";
