//! `server backup DIR` and `server restore DIR`: backups of the single-machine deployment (SQLite
//! and evidence on disk). A backup is taken while the portal serves: SQLite's `VACUUM INTO`
//! writes a consistent copy of the database as of one read transaction (writers go on beside
//! it, WAL mode), checked with `PRAGMA integrity_check`; then the evidence files, which are
//! written once and never changed (`BlobStore`), so every file the copy names is already there.
//! A restore needs the server stopped (it holds `<data dir>/server.lock` while it runs), keeps
//! the database it replaces beside it, and adds the backup's evidence files that are missing.
//! A cluster on PostgreSQL is backed up by pgBackRest instead (docs/deploy.md).

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection, Row};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The lock a serving server holds on its data directory.
pub const LOCK_FILE: &str = "server.lock";

/// Takes the data directory's lock for as long as the returned file lives, or says why not.
pub fn lock_data_dir(data_dir: &Path) -> Result<std::fs::File, String> {
    let path = data_dir.join(LOCK_FILE);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => {
            Err(format!("a server is running on {} (it holds {LOCK_FILE}): stop it first", data_dir.display()))
        }
        Err(std::fs::TryLockError::Error(e)) => Err(format!("{}: {e}", path.display())),
    }
}

fn sqlite_file(database_url: &str) -> Result<PathBuf, String> {
    if !database_url.starts_with("sqlite:") {
        return Err("backup and restore are for the SQLite deployment; a PostgreSQL cluster is backed up by pgBackRest (docs/deploy.md)".into());
    }
    let options = SqliteConnectOptions::from_str(database_url).map_err(|e| format!("DATABASE_URL: {e}"))?;
    Ok(options.get_filename().to_path_buf())
}

async fn open(file: &Path) -> Result<sqlx::SqliteConnection, String> {
    SqliteConnectOptions::new()
        .filename(file)
        .busy_timeout(std::time::Duration::from_secs(30))
        .connect()
        .await
        .map_err(|e| format!("{}: {e}", file.display()))
}

/// `PRAGMA integrity_check` passes and the file is a portal database: its number of cases.
async fn check(file: &Path) -> Result<i64, String> {
    let mut c = open(file).await?;
    let verdict: String =
        sqlx::query("PRAGMA integrity_check").fetch_one(&mut c).await.map_err(|e| e.to_string())?.get(0);
    if verdict != "ok" {
        return Err(format!("{}: integrity check failed: {verdict}", file.display()));
    }
    let cases: i64 = sqlx::query("SELECT COUNT(*) FROM cases")
        .fetch_one(&mut c)
        .await
        .map_err(|e| format!("{}: not a portal database: {e}", file.display()))?
        .get(0);
    c.close().await.map_err(|e| e.to_string())?;
    Ok(cases)
}

/// Copies the files directly in `from` (evidence blobs; not the upload spool) that `to` lacks,
/// each flushed to the disk: how many, and their bytes.
fn copy_missing(from: &Path, to: &Path) -> Result<(usize, u64), String> {
    let err = |p: &Path, e: std::io::Error| format!("{}: {e}", p.display());
    std::fs::create_dir_all(to).map_err(|e| err(to, e))?;
    let (mut n, mut bytes) = (0, 0);
    let Ok(entries) = std::fs::read_dir(from) else { return Ok((0, 0)) };
    for entry in entries {
        let entry = entry.map_err(|e| err(from, e))?;
        if !entry.file_type().map_err(|e| err(&entry.path(), e))?.is_file() {
            continue;
        }
        let dest = to.join(entry.file_name());
        if dest.exists() {
            continue;
        }
        let part = to.join(format!(".{}.part", entry.file_name().to_string_lossy()));
        bytes += std::fs::copy(entry.path(), &part).map_err(|e| err(&entry.path(), e))?;
        std::fs::File::open(&part).and_then(|f| f.sync_all()).map_err(|e| err(&part, e))?;
        std::fs::rename(&part, &dest).map_err(|e| err(&dest, e))?;
        n += 1;
    }
    std::fs::File::open(to).and_then(|d| d.sync_all()).map_err(|e| err(to, e))?;
    Ok((n, bytes))
}

/// Writes a backup of the database at `database_url` (and of the evidence in `evidence`, when
/// it is on disk) into `to`, a directory that must not exist yet or be empty.
pub async fn backup(database_url: &str, evidence: Option<&Path>, to: &Path) -> Result<String, String> {
    let started = std::time::Instant::now();
    let db = sqlite_file(database_url)?;
    if !db.exists() {
        return Err(format!("{}: no database", db.display()));
    }
    if to.exists() && std::fs::read_dir(to).map_err(|e| e.to_string())?.next().is_some() {
        return Err(format!("{}: not empty (a backup goes into a new directory)", to.display()));
    }
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    let copy = to.join("portal.db");
    let mut c = open(&db).await?;
    sqlx::query("VACUUM INTO ?")
        .bind(copy.to_string_lossy().into_owned())
        .execute(&mut c)
        .await
        .map_err(|e| format!("VACUUM INTO {}: {e}", copy.display()))?;
    c.close().await.map_err(|e| e.to_string())?;
    std::fs::File::open(&copy).and_then(|f| f.sync_all()).map_err(|e| e.to_string())?;
    let cases = check(&copy).await?;
    let (files, bytes) = match evidence {
        Some(dir) => copy_missing(dir, &to.join("evidence"))?,
        None => (0, 0),
    };
    Ok(format!(
        "backup in {}: {cases} cases, {files} evidence files ({:.1} MB), {:.1} s",
        to.display(),
        bytes as f64 / 1e6,
        started.elapsed().as_secs_f64()
    ))
}

/// Puts the backup in `from` in place of the database at `database_url` (kept beside it as
/// `portal.db.before-restore-…`), and adds its evidence files missing from `evidence`.
/// `data_dir`'s server must be stopped.
pub async fn restore(
    database_url: &str,
    data_dir: &Path,
    evidence: Option<&Path>,
    from: &Path,
) -> Result<String, String> {
    let db = sqlite_file(database_url)?;
    let source = from.join("portal.db");
    let cases = check(&source).await?;
    let _lock = lock_data_dir(data_dir)?;
    let stamp = time::OffsetDateTime::now_utc().unix_timestamp();
    let mut kept = None;
    for suffix in ["", "-wal", "-shm"] {
        let f = PathBuf::from(format!("{}{suffix}", db.display()));
        if f.exists() {
            let aside = PathBuf::from(format!("{}.before-restore-{stamp}{suffix}", db.display()));
            std::fs::rename(&f, &aside).map_err(|e| format!("{}: {e}", f.display()))?;
            if suffix.is_empty() {
                kept = Some(aside);
            }
        }
    }
    let part = PathBuf::from(format!("{}.restoring", db.display()));
    std::fs::copy(&source, &part).map_err(|e| format!("{}: {e}", source.display()))?;
    std::fs::File::open(&part).and_then(|f| f.sync_all()).map_err(|e| e.to_string())?;
    std::fs::rename(&part, &db).map_err(|e| format!("{}: {e}", db.display()))?;
    if let Some(dir) = db.parent() {
        std::fs::File::open(dir).and_then(|d| d.sync_all()).map_err(|e| e.to_string())?;
    }
    let (files, _) = match evidence {
        Some(dir) => copy_missing(&from.join("evidence"), dir)?,
        None => (0, 0),
    };
    Ok(format!(
        "restored {}: {cases} cases, {files} evidence files added; the database it replaced: {}",
        db.display(),
        kept.map(|k| k.display().to_string()).unwrap_or_else(|| "none".into())
    ))
}
