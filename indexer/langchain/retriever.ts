import { BaseRetriever, type BaseRetrieverInput } from "@langchain/core/retrievers";
import { Document } from "@langchain/core/documents";
import type { EntryType, Lang } from "../content/schema.ts";
import { portalPath } from "../portal-path.ts";
import type { KnowledgeIndex, SearchMode } from "../knowledge-index.ts";

/** What every Document of the knowledge base carries, so that a chain can cite and link its sources. */
export type KnowledgeDocumentMetadata = {
  /** The entry id (kebab-case), stable across index versions: cite it. */
  id: string;
  type: EntryType;
  /** The entry's title in `lang`. */
  title: string;
  /** The entry's page on the portal: absolute when a base URL was given, else "/attractions/…". */
  url: string;
  /** The language of the passage (the one asked for when the entry has it). */
  lang: Lang;
  /** YYYY-MM-DD: when an editor last checked the entry against its sources. */
  lastVerified: string;
  /** The passage's section: "summary", "facts" or a heading of the entry's body. */
  heading: string;
  /** Fused search score, higher is better (comparable within one query only). */
  score: number;
};

export type KnowledgeRetrieverInput = BaseRetrieverInput & {
  index: KnowledgeIndex;
  /** Documents per query. Default 4. */
  k?: number;
  /** Language of titles and passages; detected from each query when omitted. */
  lang?: Lang;
  /** Only entries of this type. */
  type?: EntryType;
  /** Default "hybrid" (BM25 + vectors, fused), as the assistant searches. */
  mode?: SearchMode;
  /** The portal's public base URL (PUBLIC_URL), for absolute links in the metadata. */
  baseUrl?: string;
};

/**
 * The Châu Đốc knowledge base as a LangChain retriever: one Document per entry found (its best passage
 * in the language asked for), with the entry's id, type, title, portal URL, language and lastVerified in
 * the metadata. It searches the index the assistant uses (lexical + vectors, see indexer/search), so it
 * ranks as the assistant does.
 */
export class KnowledgeRetriever extends BaseRetriever<KnowledgeDocumentMetadata> {
  static override lc_name(): string {
    return "KnowledgeRetriever";
  }

  override lc_namespace = ["chau-doc", "retrievers"];

  private readonly index: KnowledgeIndex;
  private readonly options: Omit<KnowledgeRetrieverInput, keyof BaseRetrieverInput | "index">;

  constructor(input: KnowledgeRetrieverInput) {
    const { index, k, lang, type, mode, baseUrl, ...base } = input;
    super(base);
    this.index = index;
    this.options = {
      k: k ?? 4,
      ...(lang ? { lang } : {}),
      ...(type ? { type } : {}),
      mode: mode ?? "hybrid",
      ...(baseUrl ? { baseUrl: baseUrl.replace(/\/+$/, "") } : {}),
    };
  }

  /** Searches the index; called by invoke() (and by any chain the retriever is part of). */
  override async _getRelevantDocuments(query: string): Promise<Document<KnowledgeDocumentMetadata>[]> {
    const { k, lang, type, mode, baseUrl } = this.options;
    const hits = await this.index.search(query, {
      ...(k !== undefined ? { k } : {}),
      ...(lang ? { lang } : {}),
      ...(type ? { type } : {}),
      ...(mode ? { mode } : {}),
    });
    return hits.map((hit) => {
      const entry = this.index.get(hit.id);
      const path = portalPath(hit.type, hit.id);
      return new Document<KnowledgeDocumentMetadata>({
        id: hit.id,
        pageContent: hit.passage.text,
        metadata: {
          id: hit.id,
          type: hit.type,
          title: hit.title,
          url: baseUrl ? `${baseUrl}${path}` : path,
          lang: hit.passage.lang,
          lastVerified: entry?.lastVerified ?? "",
          heading: hit.passage.heading,
          score: hit.score,
        },
      });
    });
  }
}
