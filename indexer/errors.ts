/**
 * The one error type of the project. `code` names the failure (`content_invalid`, `index_missing`, ...);
 * `expose` says whether the message may be shown to a user; the cause keeps the original error for logs.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly options: { expose?: boolean; cause?: unknown; details?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "AppError";
  }

  /** True when the message is safe to show to an end user. */
  get expose(): boolean {
    return this.options.expose ?? false;
  }
}
