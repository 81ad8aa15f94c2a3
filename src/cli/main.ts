// The `audit-lens` command line, on the same core as the extension, for pipelines.
import path from 'node:path';
import { UsageError, type CliCommand, type CliIo } from './command';
import { findingsCommand } from './commands/findings';
import { locateCommand } from './commands/locate';
import { queryCommand } from './commands/query';
import { redactCommand } from './commands/redact';
import { scanCommand } from './commands/scan';
import { summaryCommand } from './commands/summary';
import { verifyCommand } from './commands/verify';

/** Every subcommand; each module in ./commands exports one. */
const COMMANDS: CliCommand[] = [summaryCommand, verifyCommand, scanCommand, redactCommand, findingsCommand, queryCommand, locateCommand];

function usage(): string {
  return `Usage: audit-lens COMMAND [ARGS]

${COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}

audit-lens COMMAND --help shows a command's options.
Exit codes: 0 done, 1 findings (where a command says so), 2 bad arguments or unreadable input.
`;
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`audit-lens: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.out(`Usage: ${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`audit-lens ${command.name}: ${err.message}\n\nUsage: ${command.usage}\n`);
      return 2;
    }
    io.err(`audit-lens ${command.name}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
}

if (require.main === module) {
  const io: CliIo = {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    wasmPath: path.join(__dirname, 'sql-wasm.wasm'),
  };
  main(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}
