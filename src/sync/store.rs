//! The job history: SQLite (rusqlite, bundled), WAL, one transaction per state
//! change. Every export, trigger, upload, poll and report snapshot is a row, so
//! a job killed half-way leaves what it recorded, and is marked `interrupted`
//! the next time docgate opens the database. Text is stored as
//! [`untrusted`](crate::escape::untrusted) leaves it: no control characters, no token.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use crate::error::Error;
use crate::escape::{untrusted, untrusted_line};
use crate::sync::report::Totals;

/// Where a job stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum JobState {
    /// The job has started and not ended.
    Running,
    /// The job did what it was asked.
    Succeeded,
    /// The job ended with an error.
    Failed,
    /// The capability is not available in the installed release.
    Refused,
    /// What the job waited for did not happen in time.
    Timeout,
    /// A sync is older than `--max-age` (status checks).
    Stale,
    /// The process ended (killed, crashed) while the job ran.
    Interrupted,
}

impl JobState {
    /// The state as stored and printed (`running`, `succeeded`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Running => "running",
            JobState::Succeeded => "succeeded",
            JobState::Failed => "failed",
            JobState::Refused => "refused",
            JobState::Timeout => "timeout",
            JobState::Stale => "stale",
            JobState::Interrupted => "interrupted",
        }
    }

    fn parse(s: &str) -> JobState {
        match s {
            "running" => JobState::Running,
            "succeeded" => JobState::Succeeded,
            "refused" => JobState::Refused,
            "timeout" => JobState::Timeout,
            "stale" => JobState::Stale,
            "interrupted" => JobState::Interrupted,
            _ => JobState::Failed,
        }
    }
}

/// A job as recorded.
#[derive(Clone, Debug, Serialize)]
pub struct Job {
    /// The job's number in the history.
    pub id: i64,
    /// The command that ran (`status`, `report`, `trigger`, …).
    pub kind: String,
    /// Where the job stands.
    pub state: JobState,
    /// When the job started (UTC, RFC 3339).
    pub started_at: String,
    /// When the job ended, if it has.
    pub finished_at: Option<String>,
    /// The installed GHES version the job detected, if it got that far.
    pub ghes_version: Option<String>,
    /// What the job acted on (the enterprise or the GHES host), if anything.
    pub target: Option<String>,
    /// The exit code the job ended with.
    pub exit_code: Option<i32>,
    /// The error that ended the job, if any.
    pub error: Option<String>,
    /// A one-line detail of how the job ended.
    pub detail: Option<String>,
    /// How many events the job recorded.
    pub events: i64,
}

/// A consumed-licenses snapshot taken by `report`.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct Snapshot {
    /// When the snapshot was taken (UTC, RFC 3339).
    pub at: String,
    /// The report's counts.
    #[serde(flatten)]
    pub totals: Totals,
    /// How many likely double-counted people the analysis found.
    pub suspects: i64,
}

/// The open database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS jobs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    state TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    pid INTEGER NOT NULL,
    ghes_version TEXT,
    target TEXT,
    exit_code INTEGER,
    error TEXT,
    detail TEXT
);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY,
    job_id INTEGER NOT NULL REFERENCES jobs(id),
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    detail TEXT
);
CREATE TABLE IF NOT EXISTS snapshots (
    id INTEGER PRIMARY KEY,
    job_id INTEGER NOT NULL REFERENCES jobs(id),
    at TEXT NOT NULL,
    consumed INTEGER NOT NULL,
    purchased INTEGER NOT NULL,
    users INTEGER NOT NULL,
    ghes_only INTEGER NOT NULL,
    ghec_only INTEGER NOT NULL,
    both INTEGER NOT NULL,
    suspects INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS events_job ON events(job_id);
";

fn now() -> String {
    jiff::Timestamp::now().strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

fn db_err(path: &Path, e: rusqlite::Error) -> Error {
    Error::input(format!("{}: job history database: {e}", path.display()))
        .with_help("pass another --state PATH, or move the damaged file aside")
}

impl Store {
    /// The default database: `$XDG_STATE_HOME/docgate/history.db` (or the platform's state folder).
    pub fn default_path() -> Result<PathBuf, Error> {
        use etcetera::BaseStrategy;
        let base = etcetera::choose_base_strategy()
            .map_err(|e| Error::usage(format!("cannot find a state folder: {e}")).with_help("pass --state PATH"))?;
        let dir = base.state_dir().unwrap_or_else(|| base.data_dir());
        Ok(dir.join("docgate").join("history.db"))
    }

    /// Opens (creating) the database, and marks jobs whose process is gone as interrupted.
    pub fn open(path: &Path) -> Result<Store, Error> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display(), e))?;
        }
        let conn = Connection::open(path).map_err(|e| db_err(path, e))?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(|e| db_err(path, e))?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(|e| db_err(path, e))?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(|e| db_err(path, e))?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(|e| db_err(path, e))?;
        conn.execute_batch(SCHEMA).map_err(|e| db_err(path, e))?;
        conn.pragma_update(None, "user_version", 1)
            .map_err(|e| db_err(path, e))?;
        let store = Store {
            conn,
            path: path.to_path_buf(),
        };
        store.recover()?;
        Ok(store)
    }

    /// Where the database is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The rows of `sql` with `params`, each read by `row`.
    fn query<T>(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
        row: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>, Error> {
        self.conn
            .prepare(sql)
            .and_then(|mut stmt| stmt.query_map(params, row)?.collect())
            .map_err(|e| db_err(&self.path, e))
    }

    fn recover(&self) -> Result<(), Error> {
        let running: Vec<(i64, i64)> = self.query("SELECT id, pid FROM jobs WHERE state = 'running'", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
        for (id, pid) in running
            .into_iter()
            .filter(|(_, pid)| !u32::try_from(*pid).is_ok_and(crate::files::process_alive))
        {
            self.conn
                .execute(
                    "UPDATE jobs SET state = 'interrupted', finished_at = ?1, \
                     error = ?2 WHERE id = ?3 AND state = 'running'",
                    params![now(), format!("process {pid} ended before the job finished"), id],
                )
                .map_err(|e| db_err(&self.path, e))?;
        }
        Ok(())
    }

    /// Records a new running job; returns its id.
    /// The GHES version is recorded later, once found ([`Store::set_version`]).
    pub fn start(&self, kind: &str, target: Option<&str>) -> Result<i64, Error> {
        self.conn
            .execute(
                "INSERT INTO jobs (kind, state, started_at, pid, target) VALUES (?1, 'running', ?2, ?3, ?4)",
                params![kind, now(), i64::from(std::process::id()), target.map(untrusted_line)],
            )
            .map_err(|e| db_err(&self.path, e))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Records the GHES version a job found.
    pub fn set_version(&self, job: i64, ghes_version: &str) -> Result<(), Error> {
        self.conn
            .execute(
                "UPDATE jobs SET ghes_version = ?1 WHERE id = ?2",
                params![untrusted_line(ghes_version), job],
            )
            .map(|_| ())
            .map_err(|e| db_err(&self.path, e))
    }

    /// Records an event of a job (a poll, an attempt, a file written).
    pub fn event(&self, job: i64, kind: &str, detail: &str) -> Result<(), Error> {
        self.conn
            .execute(
                "INSERT INTO events (job_id, at, kind, detail) VALUES (?1, ?2, ?3, ?4)",
                params![job, now(), kind, untrusted(detail)],
            )
            .map(|_| ())
            .map_err(|e| db_err(&self.path, e))
    }

    /// Records a report snapshot.
    pub fn snapshot(&self, job: i64, s: &Snapshot) -> Result<(), Error> {
        self.conn
            .execute(
                "INSERT INTO snapshots (job_id, at, consumed, purchased, users, ghes_only, ghec_only, both, suspects) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    job,
                    now(),
                    s.totals.consumed,
                    s.totals.purchased,
                    s.totals.users,
                    s.totals.ghes_only,
                    s.totals.ghec_only,
                    s.totals.both,
                    s.suspects
                ],
            )
            .map(|_| ())
            .map_err(|e| db_err(&self.path, e))
    }

    /// Ends a job.
    pub fn finish(
        &self,
        job: i64,
        state: JobState,
        exit_code: i32,
        error: Option<&str>,
        detail: Option<&str>,
    ) -> Result<(), Error> {
        self.conn
            .execute(
                "UPDATE jobs SET state = ?1, finished_at = ?2, exit_code = ?3, error = ?4, detail = COALESCE(?5, detail) WHERE id = ?6",
                params![
                    state.as_str(),
                    now(),
                    exit_code,
                    error.map(untrusted),
                    detail.map(untrusted),
                    job
                ],
            )
            .map(|_| ())
            .map_err(|e| db_err(&self.path, e))
    }

    /// The most recent jobs, newest first.
    pub fn jobs(&self, limit: usize) -> Result<Vec<Job>, Error> {
        self.query(
            "SELECT j.id, j.kind, j.state, j.started_at, j.finished_at, j.ghes_version, j.target, j.exit_code, \
                 j.error, j.detail, (SELECT COUNT(*) FROM events e WHERE e.job_id = j.id) \
                 FROM jobs j ORDER BY j.id DESC LIMIT ?1",
            [limit as i64],
            |r| {
                Ok(Job {
                    id: r.get(0)?,
                    kind: r.get(1)?,
                    state: JobState::parse(&r.get::<_, String>(2)?),
                    started_at: r.get(3)?,
                    finished_at: r.get(4)?,
                    ghes_version: r.get(5)?,
                    target: r.get(6)?,
                    exit_code: r.get(7)?,
                    error: r.get(8)?,
                    detail: r.get(9)?,
                    events: r.get(10)?,
                })
            },
        )
    }

    /// The events of a job, oldest first: (at, kind, detail).
    pub fn events(&self, job: i64) -> Result<Vec<(String, String, String)>, Error> {
        self.query(
            "SELECT at, kind, COALESCE(detail, '') FROM events WHERE job_id = ?1 ORDER BY id",
            [job],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
    }

    /// Consumed-license snapshots, oldest first.
    pub fn snapshots(&self) -> Result<Vec<Snapshot>, Error> {
        self.query(
            "SELECT at, consumed, purchased, users, ghes_only, ghec_only, both, suspects FROM snapshots ORDER BY id",
            [],
            |r| {
                Ok(Snapshot {
                    at: r.get(0)?,
                    totals: Totals {
                        consumed: r.get(1)?,
                        purchased: r.get(2)?,
                        users: r.get(3)?,
                        ghes_only: r.get(4)?,
                        ghec_only: r.get(5)?,
                        both: r.get(6)?,
                    },
                    suspects: r.get(7)?,
                })
            },
        )
    }

    /// The state of one job.
    pub fn state(&self, job: i64) -> Result<Option<JobState>, Error> {
        self.conn
            .query_row("SELECT state FROM jobs WHERE id = ?1", [job], |r| r.get::<_, String>(0))
            .optional()
            .map(|s| s.map(|s| JobState::parse(&s)))
            .map_err(|e| db_err(&self.path, e))
    }
}

/// SQLite's `PRAGMA integrity_check` on the database at `path` (`ok` when sound).
pub fn integrity_check(path: &Path) -> Result<String, Error> {
    let conn = Connection::open(path).map_err(|e| db_err(path, e))?;
    conn.query_row("PRAGMA integrity_check", [], |r| r.get::<_, String>(0))
        .map_err(|e| db_err(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_events_snapshots_and_recovery() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.db");
        let s = Store::open(&path).unwrap();
        let a = s.start("trigger", Some("ghes.example.com")).unwrap();
        s.set_version(a, "3.5").unwrap();
        s.event(a, "poll", "no new sync").unwrap();
        s.finish(a, JobState::Succeeded, 0, None, Some("synced")).unwrap();
        let b = s.start("report", Some("acme")).unwrap();
        s.snapshot(
            b,
            &Snapshot {
                totals: Totals {
                    consumed: 10,
                    purchased: 8,
                    users: 10,
                    ..Default::default()
                },
                ..Default::default()
            },
        )
        .unwrap();
        // A job left running by a process that no longer exists.
        s.conn
            .execute(
                "INSERT INTO jobs (kind, state, started_at, pid) VALUES ('status', 'running', 'x', 999999999)",
                [],
            )
            .unwrap();
        drop(s);
        let s = Store::open(&path).unwrap();
        let jobs = s.jobs(10).unwrap();
        assert_eq!(jobs[0].state, JobState::Interrupted);
        assert!(jobs[0].error.as_deref().unwrap().contains("999999999"));
        assert_eq!(jobs[2].state, JobState::Succeeded);
        assert_eq!(jobs[2].events, 1);
        assert_eq!(s.snapshots().unwrap()[0].totals.consumed, 10);
        assert_eq!(s.events(a).unwrap()[0].1, "poll");
    }
}
