// The shape of an `audit-lens` subcommand. Each lives in src/cli/commands/ and is listed in src/cli/main.ts.

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Where sql-wasm.wasm is (beside the bundle). */
  wasmPath: string;
}

export interface CliCommand {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** The full usage text of the command. */
  usage: string;
  /** Runs with the arguments after the command name; resolves to the exit code. */
  run(args: string[], io: CliIo): Promise<number>;
}

/** Thrown for bad arguments: main prints the message and the command's usage, exit code 2. */
export class UsageError extends Error {}

/** Splits arguments into positionals and --options (`--name value`, `--name=value`, boolean `--flag`). */
export function parseOptions(args: string[], valued: readonly string[], flags: readonly string[]): { positionals: string[]; options: Record<string, string>; set: Set<string> } {
  const positionals: string[] = [];
  const options: Record<string, string> = {};
  const set = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('-') || a === '-') {
      positionals.push(a);
      continue;
    }
    const [name, inline] = a.replace(/^--?/, '').split(/=(.*)/s, 2);
    if (valued.includes(name)) {
      const value = inline ?? args[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      options[name] = value;
    } else if (flags.includes(name)) {
      set.add(name);
    } else {
      throw new UsageError(`unknown option ${a}`);
    }
  }
  return { positionals, options, set };
}
