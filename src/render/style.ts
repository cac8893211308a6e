/** Terminal styling: colour only on a TTY and never with NO_COLOR (https://no-color.org). */
export interface Style {
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const code = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

export const PLAIN: Style = {
  green: (t) => t,
  red: (t) => t,
  yellow: (t) => t,
  dim: (t) => t,
  bold: (t) => t,
};
export const COLOUR: Style = {
  green: code(32, 39),
  red: code(31, 39),
  yellow: code(33, 39),
  dim: code(2, 22),
  bold: code(1, 22),
};

export function styleFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Style {
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  return stream.isTTY && !noColor ? COLOUR : PLAIN;
}
