import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Gauge, register } from 'prom-client';
import { AppConfig, ensureStateDir } from '#platform';
import type { ScanRequestedMessage } from '../scan-request.js';
import type {
  ClassificationResult,
  DisposalRuleDocument,
  FinalAnswer,
  ScanFailure,
} from '../scan-result.types.js';

/** What the finished steps produced; a resumed job starts after the last one present. */
export interface StepCheckpoints {
  vision?: { classification: ClassificationResult; provider: string };
  rule?: { rules: DisposalRuleDocument | null };
  answer?: { answer: FinalAnswer; provider: string };
}

/** A finished job's outcome, waiting in the journal until it is in the database. */
export type JournalOutcome =
  { kind: 'completed'; latencyMs: number; provider: string } | { kind: 'failed'; failure: ScanFailure };

export interface JournalEntry {
  jobId: string;
  message: ScanRequestedMessage;
  status: 'running' | 'awaiting_sync' | 'synced';
  checkpoints: StepCheckpoints;
  outcome: JournalOutcome | null;
  runs: number;
  startedAt: number;
}

interface JournalRow {
  job_id: string;
  message: string;
  status: JournalEntry['status'];
  checkpoints: string;
  outcome: string | null;
  runs: number;
  started_at: number;
}

const UNSYNCED_METRIC = 'worker_journal_unsynced_entries';
/** Every open journal in this process (tests boot several apps in one process): the gauge sums them. */
const openJournals = new Set<WorkerJournal>();

function unsyncedGauge(): void {
  if (register.getSingleMetric(UNSYNCED_METRIC)) return;
  new Gauge({
    name: UNSYNCED_METRIC,
    help: 'AI worker local journal entries whose outcome is not yet in the database',
    collect() {
      this.set([...openJournals].reduce((sum, journal) => sum + journal.unsyncedCount(), 0));
    },
  });
}

/**
 * The AI worker's local journal (a SQLite file in WAL mode; docs/ARCHITECTURE.md, "Scan pipeline"): a job
 * is written here before work starts, each finished step is checkpointed, and an outcome that cannot
 * reach the database waits here until the sync loop lands it. The file lives on the pod's volume, so a
 * restarted worker resumes what it had not finished.
 */
@Injectable()
export class WorkerJournal implements OnApplicationShutdown {
  private readonly db: Database.Database;
  private readonly retentionMs: number;
  /** Prepared once: a scan writes the journal about ten times, and SQLite parsing each was ~1.5 % of the worker's CPU. */
  private readonly statements: JournalStatements;
  private readonly beginTransaction: (message: ScanRequestedMessage, now: number) => JournalEntry;

  constructor(@Inject(AppConfig) config: AppConfig) {
    const path =
      config.optionalString('WORKER_JOURNAL_PATH') ?? join(ensureStateDir(config), 'worker-journal.sqlite');
    mkdirSync(dirname(path), { recursive: true });
    this.retentionMs = config.int('WORKER_JOURNAL_RETENTION_SECONDS') * 1000;
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS scan_journal (
        job_id TEXT PRIMARY KEY,
        message TEXT NOT NULL,
        status TEXT NOT NULL,
        checkpoints TEXT NOT NULL DEFAULT '{}',
        outcome TEXT,
        runs INTEGER NOT NULL DEFAULT 0,
        started_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS scan_journal_status ON scan_journal (status, updated_at);`);
    this.statements = prepareStatements(this.db);
    this.beginTransaction = this.db.transaction((message: ScanRequestedMessage, now: number) => {
      this.statements.insert.run(message.job_id, JSON.stringify(message), now, now);
      this.statements.countRun.run(now, message.job_id);
      return this.get(message.job_id)!;
    });
    openJournals.add(this);
    unsyncedGauge();
  }

  /** Records the job (first delivery wins) and counts this run; returns the entry as it now stands. */
  begin(message: ScanRequestedMessage, now: number): JournalEntry {
    return this.beginTransaction(message, now);
  }

  get(jobId: string): JournalEntry | null {
    const row = this.statements.get.get(jobId) as JournalRow | undefined;
    return row ? toEntry(row) : null;
  }

  checkpoint<K extends keyof StepCheckpoints>(
    jobId: string,
    step: K,
    value: StepCheckpoints[K],
    now: number,
  ): void {
    this.statements.checkpoint.run(`$.${step}`, JSON.stringify(value), now, jobId);
  }

  finish(jobId: string, outcome: JournalOutcome, now: number): void {
    this.statements.finish.run(JSON.stringify(outcome), now, jobId);
  }

  markSynced(jobId: string, now: number): void {
    this.statements.markSynced.run(now, jobId);
  }

  /** Jobs a previous run of this worker started and never finished. */
  unfinished(): JournalEntry[] {
    return (this.statements.unfinished.all() as JournalRow[]).map(toEntry);
  }

  /** Finished outcomes not yet in the database, oldest first. */
  awaitingSync(limit: number): JournalEntry[] {
    return (this.statements.awaitingSync.all(limit) as JournalRow[]).map(toEntry);
  }

  unsyncedCount(): number {
    return (this.statements.unsyncedCount.get() as { n: number }).n;
  }

  /** Drops synced entries past the retention (until then they answer redeliveries at once). */
  prune(now: number): number {
    return this.statements.prune.run(now - this.retentionMs).changes;
  }

  /** After the queue consumers drained (beforeApplicationShutdown), so in-flight jobs can still write. */
  onApplicationShutdown(): void {
    openJournals.delete(this);
    this.db.close();
  }
}

type JournalStatements = ReturnType<typeof prepareStatements>;

function prepareStatements(db: Database.Database) {
  return {
    insert: db.prepare(
      `INSERT OR IGNORE INTO scan_journal (job_id, message, status, started_at, updated_at)
       VALUES (?, ?, 'running', ?, ?)`,
    ),
    countRun: db.prepare(
      `UPDATE scan_journal SET runs = runs + 1, updated_at = ? WHERE job_id = ? AND status = 'running'`,
    ),
    get: db.prepare('SELECT * FROM scan_journal WHERE job_id = ?'),
    checkpoint: db.prepare(
      `UPDATE scan_journal SET checkpoints = json_set(checkpoints, ?, json(?)), updated_at = ? WHERE job_id = ?`,
    ),
    finish: db.prepare(
      `UPDATE scan_journal SET status = 'awaiting_sync', outcome = ?, updated_at = ? WHERE job_id = ?`,
    ),
    markSynced: db.prepare(`UPDATE scan_journal SET status = 'synced', updated_at = ? WHERE job_id = ?`),
    unfinished: db.prepare(`SELECT * FROM scan_journal WHERE status = 'running' ORDER BY started_at`),
    awaitingSync: db.prepare(
      `SELECT * FROM scan_journal WHERE status = 'awaiting_sync' ORDER BY updated_at LIMIT ?`,
    ),
    unsyncedCount: db.prepare(`SELECT count(*) AS n FROM scan_journal WHERE status = 'awaiting_sync'`),
    prune: db.prepare(`DELETE FROM scan_journal WHERE status = 'synced' AND updated_at < ?`),
  };
}

function toEntry(row: JournalRow): JournalEntry {
  return {
    jobId: row.job_id,
    message: JSON.parse(row.message) as ScanRequestedMessage,
    status: row.status,
    checkpoints: JSON.parse(row.checkpoints) as StepCheckpoints,
    outcome: row.outcome ? (JSON.parse(row.outcome) as JournalOutcome) : null,
    runs: row.runs,
    startedAt: row.started_at,
  };
}
