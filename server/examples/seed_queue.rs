//! `seed_queue <database url> [cases]`: (by default) 1,000,000 synthetic cases for the work-queue
//! benchmark, in SQLite (`sqlite://…`) or PostgreSQL (`postgres://…`), with the schema the
//! server migrates to. About 5 % are open, with deadlines from 10 days overdue to 60 days ahead;
//! the rest are closed. Spread over two years, 53 bureaus, every category and channel. One
//! complaint in 25 went to a business of the ODR lane first (20 members, the first, "the
//! bench's member", with a quarter of them); its open ones are with the business or await the
//! consumer's answer to an offer. Then a supervisor, a handler and the member's account are
//! signed in; prints their cookies (`staff=…`), one per line.

use std::sync::Arc;
use std::time::Instant;

/// The bureaus the cases are spread over: the centre, the prefectures and their counties.
fn bureaus() -> Vec<String> {
    let mut out = vec![app::domain::region::CENTRE.to_owned()];
    for p in app::domain::region::prefectures() {
        out.push(p.code.clone());
        out.extend(p.counties.iter().map(|c| c.code.clone()));
    }
    out
}

/// The credit code of the `k`th member of the bench's ODR lane (Chengdong district).
fn member_code(k: usize) -> String {
    app::domain::credit_code::CreditCode::with_check(&format!("91630102MA{:07}", 2_000_000 + k))
        .unwrap()
        .as_str()
        .to_owned()
}

/// SQL `CASE` picking the `k`th of `values` for `k = expr`.
fn pick(expr: &str, values: &[String]) -> String {
    let arms: String = values.iter().enumerate().map(|(k, v)| format!(" WHEN {k} THEN '{v}'")).collect();
    format!("(CASE ({expr}) % {}{arms} END)", values.len())
}

/// Runs `statements` in order on one connection of `pool`.
async fn run_all<DB: sqlx::Database>(pool: &sqlx::Pool<DB>, statements: Vec<String>)
where
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
{
    let mut conn = pool.acquire().await.unwrap();
    for s in statements {
        sqlx::raw_sql(sqlx::AssertSqlSafe(s)).execute(&mut *conn).await.unwrap();
    }
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let url = args.next().expect("usage: seed_queue <database url> [cases]");
    let n: i64 = args.next().map(|s| s.parse().expect("a number of cases")).unwrap_or(1_000_000);
    let start = Instant::now();
    let postgres = url.starts_with("postgres");
    let today = app::domain::clock::china_date(time::OffsetDateTime::now_utc());
    let today = app::domain::calendar::format_date(today);
    // A multiplicative hash of the row number, so that the attributes do not follow each other.
    let h = "((i * 2654435761) % 4294967296)";
    let bureau = pick(&format!("{h} / 62000"), &bureaus());
    let categories: Vec<String> = app::domain::category::all().iter().map(|c| c.code.clone()).collect();
    let category = pick(&format!("{h} / 2000"), &categories);
    let channels: Vec<String> = app::domain::kind::Channel::ALL.iter().map(|c| c.code().to_owned()).collect();
    let channel = pick(&format!("{h} / 400"), &channels);
    let kind = format!(
        "(CASE WHEN ({h} / 20) % 20 < 11 THEN 'complaint' WHEN ({h} / 20) % 20 < 17 THEN 'consultation' \
         ELSE 'report' END)"
    );
    let open = format!("{h} % 20 = 7");
    // The ODR lane: one complaint in 25, spread over the members (the bench's five times as often).
    let members: Vec<String> = (0..20).map(member_code).collect();
    let mut weighted_members = vec![members[0].clone(); 4];
    weighted_members.extend(members.iter().cloned());
    let lane = format!("(({h} / 20) % 20 < 11 AND ({h} / 9) % 25 = 0)");
    let lane_business = format!("(CASE WHEN {lane} THEN {} END)", pick(&format!("{h} / 13"), &weighted_members));
    let lane_state = format!("(CASE ({h} / 70000) % 2 WHEN 0 THEN 'with_business' ELSE 'business_offered' END)");
    let offer = format!("(CASE WHEN {lane} AND {open} AND ({h} / 70000) % 2 = 1 THEN 29900 END)");
    let state = format!(
        "(CASE WHEN {open} AND {lane} THEN {lane_state} \
         WHEN {open} THEN (CASE ({h} / 70000) % 3 WHEN 0 THEN 'received' WHEN 1 THEN 'accepted' \
         ELSE 'in_mediation' END) ELSE 'closed' END)"
    );
    // Days relative to today: received up to two years back; open cases due -10..+59 days.
    let (received, due, series) = if postgres {
        (
            format!("to_char(date '{today}' - (i % 730)::int, 'YYYY-MM-DD')"),
            format!("to_char(date '{today}' + (({h} / 7) % 70 - 10)::int, 'YYYY-MM-DD')"),
            format!("generate_series(1::bigint, {n}::bigint) AS s(i)"),
        )
    } else {
        (
            format!("date('{today}', '-' || (i % 730) || ' days')"),
            format!("date('{today}', (({h} / 7) % 70 - 10) || ' days')"),
            "n".to_owned(),
        )
    };
    let with = if postgres {
        String::new()
    } else {
        format!("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n}) ")
    };
    let case_no = if postgres { "'QH-2026-' || lpad(i::text, 7, '0')" } else { "printf('QH-2026-%07d', i)" };
    let insert = format!(
        "INSERT INTO cases (case_no, kind, channel, state, rule_set, bureau, clock_paused, category, received_at, \
         received_on, facts, consent_publish, query_hash, version, updated_at, due_on, odr_business, \
         odr_offer_fen) \
         {with}SELECT {case_no}, {kind}, {channel}, {state}, 'samr-order-121', {bureau}, FALSE, {category}, \
         1780000000000 + i * 1000, {received}, '合成数据', FALSE, 'sha256$00$00', 1, 1780000000000 + i * 1000, \
         (CASE WHEN {open} THEN {due} ELSE '9999-12-31' END), {lane_business}, {offer} FROM {series}"
    );
    let statements: Vec<String> = if postgres {
        // Counting row by row would update one counter row a million times in one transaction,
        // which PostgreSQL does slowly; the counts are rebuilt once instead.
        vec![
            "ALTER TABLE cases DISABLE TRIGGER cases_count_insert".into(),
            insert,
            "ALTER TABLE cases ENABLE TRIGGER cases_count_insert".into(),
            "DELETE FROM queue_counts".into(),
            "INSERT INTO queue_counts (bureau, kind, state, n) SELECT bureau, kind, state, COUNT(*) FROM cases \
             GROUP BY bureau, kind, state"
                .into(),
            "VACUUM (ANALYZE) cases".into(),
        ]
    } else {
        // No ANALYZE on SQLite: the server never runs it (see docs/operations.md, "SQLite and ANALYZE").
        vec!["PRAGMA synchronous = OFF".into(), "BEGIN".into(), insert, "COMMIT".into()]
    };
    // The statements run on one connection of the store (migrated on connect).
    let store: Arc<dyn app::ports::Store> = if postgres {
        let pg = server::store::postgres::PgStore::connect(&url).await.expect("postgres");
        run_all(&pg.pool, statements).await;
        Arc::new(pg)
    } else {
        let lite = server::store::sqlite::SqliteStore::connect(&url).await.expect("sqlite");
        run_all(&lite.pool, statements).await;
        Arc::new(lite)
    };
    let seeded = start.elapsed();
    // The seeded deadlines stand as they are: the server's start does not recompute them.
    let fingerprint = app::service::queue::legal_data_fingerprint();
    store.meta_set(app::service::queue::LEGAL_DATA_KEY, &fingerprint).await.unwrap();

    let services = app::Services {
        cases: store.clone(),
        staff: store.clone(),
        blobs: Arc::new(
            server::store::blobs::ObjectBlobStore::local(&std::env::temp_dir().join("seed-queue")).unwrap(),
        ),
        secret: app::service::codes::Secret([7; 32]),
        figures: Default::default(),
        hashing: Default::default(),
        budgets: Default::default(),
        // The bench signs its accounts in with a password alone.
        second_factor: app::domain::staff::SecondFactorRoles::parse("").unwrap(),
        channels: Default::default(),
        replica: None,
    };
    let now = time::OffsetDateTime::now_utc();
    let password = "a long bench password";
    // The members, in the register; the bench's has an account.
    let centre = app::domain::staff::Staff::new(
        app::domain::staff::Username::parse("bench-register").unwrap(),
        app::domain::workflow::Role::Supervisor,
        None,
    )
    .unwrap();
    for (k, code) in members.iter().enumerate() {
        let entry = app::domain::business::BusinessForm {
            credit_code: code.clone(),
            name: format!("西宁基准测试商贸有限公司{k:02}（合成数据）"),
            address: "西宁市城东区八一路1号".into(),
            county: "630102".into(),
            email: format!("odr-{k:02}@bench.example.cn"),
            odr: "join".into(),
            ..Default::default()
        };
        app::service::register::add(&services, &centre, &entry, now).await.unwrap();
    }
    let shown = app::service::register::set_account(&services, None, "bench-member", &members[0], now).await.unwrap();
    let accounts = [
        ("bench-super", Some("supervisor"), None, password.to_owned()),
        ("bench-handler", Some("handler"), Some("630102"), password.to_owned()),
        ("bench-member", None, None, shown),
    ];
    for (user, role, bureau, password) in accounts {
        if let Some(role) = role {
            let (bureau, password) = (bureau.map(str::to_owned), Some(password.clone()));
            app::service::staff::set_account(&services, user, role, bureau, password, now).await.unwrap();
        }
        let form = app::domain::staff::LoginForm { username: user.into(), password };
        let app::service::staff::SignIn::Session(token, _) =
            app::service::staff::sign_in(&services, &form, "bench", now).await.unwrap()
        else {
            panic!("the bench's accounts sign in with a password alone");
        };
        println!("staff={token}");
    }
    eprintln!(
        "  seeded {n} cases ({}) in {:.1} s",
        if postgres { "PostgreSQL" } else { "SQLite" },
        seeded.as_secs_f64()
    );
    // The ODR lane's sweep, as each server runs it every minute: the first passes on the
    // complaints whose period ended and writes the reminders due; the next find nothing to do.
    let t = Instant::now();
    let first = app::service::odr::pass_on_due(&services, now).await.unwrap();
    let first_ms = t.elapsed().as_secs_f64() * 1000.0;
    let mut steady = Vec::new();
    for _ in 0..7 {
        let t = Instant::now();
        app::service::odr::pass_on_due(&services, now).await.unwrap();
        steady.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    steady.sort_by(f64::total_cmp);
    eprintln!(
        "  ODR pass-on sweep: first {first_ms:.0} ms ({} passed on, {} reminded); then {:.1} ms (median of 7, nothing new to do)",
        first.passed, first.reminded, steady[3]
    );
}
