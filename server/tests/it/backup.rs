//! The single-machine deployment's backups with the real server binary: `server backup DIR`
//! while the server takes filings from four clients (a consistent copy, every filing
//! acknowledged before it began in it), `server restore DIR` refused while the server runs,
//! then, stopped, the database put back as it was at the backup, the replaced one kept beside
//! it, and the evidence files restored.

use crate::crash::{file, free_port, start, wait_until_up};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn server_cmd(data: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_server"))
        .args(args)
        .env("PORTAL_DATA_DIR", data)
        .env("DATABASE_URL", "")
        .env_remove("PORTAL_EVIDENCE_URL")
        .output()
        .expect("run the server binary")
}

/// The cases in the database of `data` (the one numbered `no`, if given).
async fn count(data: &std::path::Path, no: Option<&str>) -> i64 {
    use sqlx::{Connection, Row};
    let mut c = sqlx::SqliteConnection::connect(&format!("sqlite://{}/portal.db", data.display())).await.unwrap();
    let n = sqlx::query("SELECT COUNT(*) FROM cases WHERE ?1 IS NULL OR case_no = ?1")
        .bind(no)
        .fetch_one(&mut c)
        .await
        .unwrap()
        .get(0);
    c.close().await.unwrap();
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_taken_while_serving_is_restored_once_the_server_is_stopped() {
    let data = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut srv = start(data.path(), port);
    wait_until_up(port).await;
    let before = file(port, "backup-before-0123456789").await.expect("filed before the backup");
    // An evidence file as the store keeps it (written once, never changed).
    std::fs::write(data.path().join("evidence").join("0123abcdbackup"), b"%PDF-1.4 kept").unwrap();

    let acked: Arc<Mutex<Vec<String>>> = Arc::default();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let clients: Vec<_> = (0..4)
        .map(|c| {
            let (acked, stop) = (acked.clone(), stop.clone());
            tokio::spawn(async move {
                let mut n = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    if let Some(no) = file(port, &format!("backup-load-{c}-{n:06}-0123456789")).await {
                        acked.lock().unwrap().push(no);
                    }
                    n += 1;
                }
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let acked_before_backup = acked.lock().unwrap().clone();
    let dir = tempfile::tempdir().unwrap();
    let to = dir.path().join("b1");
    let out = tokio::task::spawn_blocking({
        let (d, to) = (data.path().to_owned(), to.clone());
        move || server_cmd(&d, &["backup", to.to_str().unwrap()])
    })
    .await
    .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("1 evidence files"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for c in clients {
        c.await.unwrap();
    }
    let filed = acked.lock().unwrap().len();
    assert!(filed > acked_before_backup.len(), "filings went on during the backup");
    let after = file(port, "backup-after-0123456789").await.expect("filed after the backup");

    // The copy holds what was acknowledged before it began, and not what came after it.
    let copy = to.join("portal.db");
    assert!(copy.exists());
    assert_eq!(count(&to, Some(&before)).await, 1);
    for no in &acked_before_backup {
        assert_eq!(count(&to, Some(no)).await, 1, "{no} acknowledged before the backup");
    }
    assert_eq!(count(&to, Some(&after)).await, 0);

    // Not while the server runs; and a backup never goes into a directory with something in it.
    let refused = server_cmd(data.path(), &["restore", to.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("stop it first"));
    assert!(!server_cmd(data.path(), &["backup", to.to_str().unwrap()]).status.success());

    srv.kill().unwrap();
    srv.wait().unwrap();
    let in_copy = count(&to, None).await;
    assert!(count(data.path(), None).await > in_copy);
    std::fs::remove_file(data.path().join("evidence").join("0123abcdbackup")).unwrap();
    let out = server_cmd(data.path(), &["restore", to.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(count(data.path(), Some(&after)).await, 0);
    assert_eq!(count(data.path(), Some(&before)).await, 1);
    assert_eq!(std::fs::read(data.path().join("evidence").join("0123abcdbackup")).unwrap(), b"%PDF-1.4 kept");
    // The replaced database is kept beside, whole.
    let aside: Vec<_> = std::fs::read_dir(data.path())
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with("portal.db.before-restore-") && !n.ends_with("-wal") && !n.ends_with("-shm"))
        .collect();
    assert_eq!(aside.len(), 1, "{aside:?}");

    // The restored database serves, and numbers on from what it holds.
    let mut srv = start(data.path(), port);
    wait_until_up(port).await;
    assert!(file(port, "backup-restored-0123456789").await.is_some());
    srv.kill().unwrap();
    srv.wait().unwrap();
    assert_eq!(count(data.path(), None).await, in_copy + 1);
}
