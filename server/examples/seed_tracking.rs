//! `seed_tracking <data dir> [cases]`: a SQLite database of (by default) 1,000,000 synthetic
//! cases for the tracking benchmark, and a wrk script that asks for 1,000 of them at random,
//! each with its own valid tracking cookie. Prints the wrk script's path. Used by
//! `scripts/bench`; the rows are written in bulk by SQL, with the same schema the server
//! migrates to (the server's own store creates it).

use app::domain::case::{CaseNo, QueryCode};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::ConnectOptions;
use std::io::Write;
use std::time::Instant;

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().expect("usage: seed_tracking <data dir> [cases]"));
    let n: i64 = args.next().map(|s| s.parse().expect("a number of cases")).unwrap_or(1_000_000);
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("portal.db");
    let start = Instant::now();
    let store = server::store::sqlite::SqliteStore::connect(&format!("sqlite://{}", db.display())).await.unwrap();
    let secret = server::secret::load(&store).await.unwrap();
    drop(store);

    let code = QueryCode::from_random([42; 8]);
    let hash = app::service::codes::hash_query_code(&code, [9; 16]);
    let mut conn = SqliteConnectOptions::new().filename(&db).connect().await.unwrap();
    let statements = [
        "PRAGMA journal_mode = WAL".to_owned(),
        "PRAGMA synchronous = OFF".to_owned(),
        "BEGIN".to_owned(),
        format!(
            "INSERT INTO cases (case_no, kind, channel, state, rule_set, bureau, clock_paused, category, received_at, \
             received_on, incident_on, amount_paid_fen, order_no, demand, facts, consent_publish, query_hash, version, \
             updated_at) \
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n}) \
             SELECT printf('QH-2026-%06d', i), 'complaint', 'web', \
             CASE i % 3 WHEN 0 THEN 'received' WHEN 1 THEN 'accepted' ELSE 'in_mediation' END, \
             'samr-order-121', '630102', 0, 'G05', 1780000000000 + i * 1000, '2026-06-01', '2026-05-30', \
             199900, 'A-' || i, 'refund', '购买的洗衣机第二天就无法脱水，商家拒绝退货。（合成数据）', 0, '{hash}', 1, \
             1780000000000 + i * 1000 FROM n"
        ),
        "INSERT INTO parties (case_id, role, name, phone, address) \
         SELECT id, 'consumer', '张三', printf('138%08d', id), '西宁市城西区胜利路8号' FROM cases"
            .to_owned(),
        "INSERT INTO parties (case_id, role, name, address, county) \
         SELECT id, 'business', '西宁某某电器有限公司', '西宁市城东区八一路1号', '630102' FROM cases"
            .to_owned(),
        "INSERT INTO case_events (case_id, seq, at, actor_role, action, from_state, to_state) \
         SELECT id, 1, received_at, 'consumer', 'receive', NULL, 'received' FROM cases"
            .to_owned(),
        "INSERT INTO case_events (case_id, seq, at, actor_role, actor_id, action, from_state, to_state, note) \
         SELECT id, 2, received_at + 86400000, 'handler', 'h-1', 'accept', 'received', 'accepted', '内部备注' \
         FROM cases WHERE state <> 'received'"
            .to_owned(),
        "INSERT INTO case_events (case_id, seq, at, actor_role, actor_id, action, from_state, to_state, detail) \
         SELECT id, 3, received_at + 172800000, 'handler', 'h-1', 'start_mediation', 'accepted', 'in_mediation', \
         'phone' FROM cases WHERE state = 'in_mediation'"
            .to_owned(),
        format!(
            "INSERT INTO case_counters (year, last) VALUES (2026, {n}) \
             ON CONFLICT (year) DO UPDATE SET last = excluded.last"
        ),
        // No ANALYZE: the server never runs it, and with SQLite's STAT4 tables every statement
        // would be planned again for each value bound to it.
        "COMMIT".to_owned(),
    ];
    for s in statements {
        sqlx::raw_sql(sqlx::AssertSqlSafe(s)).execute(&mut conn).await.unwrap();
    }
    let seeded = start.elapsed();

    // 1,000 cases picked at random, each with its own cookie.
    let now = time::OffsetDateTime::now_utc();
    let lua = dir.join("track.lua");
    let mut f = std::fs::File::create(&lua).unwrap();
    writeln!(f, "local reqs = {{").unwrap();
    for _ in 0..1000 {
        let i = rand::random_range(1..=n);
        let no = CaseNo::new(2026, i);
        let cookie = app::service::track::sign(&secret, &no, now);
        writeln!(f, "  {{ \"/track/{no}\", \"{}={cookie}\" }},", app::service::track::TRACK_COOKIE).unwrap();
    }
    writeln!(
        f,
        "}}\nmath.randomseed(1)\nrequest = function()\n  local r = reqs[math.random(#reqs)]\n  \
         return wrk.format(\"GET\", r[1], {{ [\"Cookie\"] = r[2] }})\nend"
    )
    .unwrap();
    let size = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0);
    eprintln!("  seeded {n} cases ({} MB SQLite file) in {:.1} s", size >> 20, seeded.as_secs_f64());
    println!("{}", lua.display());
}
