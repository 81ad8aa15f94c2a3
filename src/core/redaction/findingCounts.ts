// Tallies of findings: in total, per type, per scope, per field and per session. Shared by scans and redacted
// copies so both report the same shape.
import type { RecordFinding } from './recordRedaction';

export const NO_SESSION = '(no session)';

export interface FindingTallies {
  total: number;
  byType: Record<string, number>;
  byScope: Record<string, number>;
  byField: Record<string, number>;
  bySession: Record<string, number>;
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** Largest first, then by name: a stable order for reports. */
function sorted(map: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...map].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
}

export class FindingCounts {
  total = 0;
  private readonly types = new Map<string, number>();
  private readonly scopes = new Map<string, number>();
  private readonly fields = new Map<string, number>();
  private readonly sessions = new Map<string, number>();

  add(f: RecordFinding): void {
    this.total++;
    bump(this.types, f.type);
    bump(this.scopes, f.scope);
    bump(this.fields, f.field);
    bump(this.sessions, f.sessionId ?? NO_SESSION);
  }

  toJSON(): FindingTallies {
    return { total: this.total, byType: sorted(this.types), byScope: sorted(this.scopes), byField: sorted(this.fields), bySession: sorted(this.sessions) };
  }
}
