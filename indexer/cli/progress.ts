import type { BuildStep } from "../build.ts";

/** A one-line progress bar on a terminal (stderr); silent when stderr is not a terminal (CI, pipes). */
export function terminalProgress(
  stream: NodeJS.WriteStream = process.stderr,
): (step: BuildStep, done: number, total: number) => void {
  if (!stream.isTTY) return () => {};
  return (step, done, total) => {
    const width = 24;
    const filled = total > 0 ? Math.round((done / total) * width) : width;
    stream.write(
      `\r${step.padEnd(8)} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total}   `,
    );
    if (step === "write" && done === total) stream.write("\n");
  };
}
