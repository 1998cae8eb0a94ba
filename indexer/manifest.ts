import { z } from "zod";
import { ENTRY_TYPES } from "./content/schema.ts";

/**
 * Bumped when the files of an index change shape or the analyser or embedder changes what they hold:
 * an index of another format is rebuilt, not read.
 */
export const INDEX_FORMAT = 3;

export const manifestSchema = z.object({
  format: z.literal(INDEX_FORMAT),
  version: z.string().min(1),
  /** SHA-256 of the content files (paths and bytes): tells whether the index is up to date. */
  contentHash: z.string().regex(/^[0-9a-f]{64}$/),
  embedder: z.object({ id: z.string(), dimensions: z.number().int().positive() }),
  counts: z.object({
    entries: z.number().int().nonnegative(),
    chunks: z.number().int().nonnegative(),
    terms: z.number().int().nonnegative(),
    byType: z.record(z.enum(ENTRY_TYPES), z.number().int().nonnegative()),
  }),
  builtAt: z.string(),
  buildMs: z.number().nonnegative(),
});

export type Manifest = z.infer<typeof manifestSchema>;
