//! The message ids of the outbox given to the rows written before they existed, on both
//! databases (the migration's own work, from a database at the migration before it).

use crate::common;

/// Messages written before message ids existed get one in the migration: a version-7 UUID of
/// their creation time, different for each row.
async fn messages_stored_before_the_ids_get_one_in_the_migration(url: String, pg: bool) {
    let mut migrator = if pg { sqlx::migrate!("./migrations/postgres") } else { sqlx::migrate!("./migrations/sqlite") };
    let all = migrator.migrations.to_vec();
    migrator.migrations = all.iter().filter(|m| m.version < 15).cloned().collect::<Vec<_>>().into();
    let created_at: i64 = 1_780_000_000_123;
    let insert = "INSERT INTO outbox (case_id, kind, channel, recipient, lang, params, created_at, due_at) \
                  VALUES (NULL, 'digest', 'email', 'a@12315.example.cn', 'zh', '[]', $1, $1)";
    if pg {
        let pool = sqlx::PgPool::connect(&url).await.unwrap();
        migrator.run(&pool).await.unwrap();
        for _ in 0..3 {
            sqlx::query(insert).bind(created_at).execute(&pool).await.unwrap();
        }
        pool.close().await;
    } else {
        let pool = sqlx::SqlitePool::connect(&format!("{url}?mode=rwc")).await.unwrap();
        migrator.run(&pool).await.unwrap();
        for _ in 0..3 {
            sqlx::query(insert).bind(created_at).execute(&pool).await.unwrap();
        }
        pool.close().await;
    }
    // The store migrates the rest on connect.
    let store = server::store::connect(&url).await.unwrap();
    let notices = store.notices(None, 10, 0).await.unwrap();
    assert_eq!(notices.len(), 3);
    let mut uids = std::collections::HashSet::new();
    for n in &notices {
        let uid = uuid::Uuid::parse_str(&n.uid).unwrap_or_else(|_| panic!("a UUID: {}", n.uid));
        assert_eq!(uid.get_version_num(), 7, "{uid}");
        assert_eq!(uid.get_variant(), uuid::Variant::RFC4122, "{uid}");
        let (secs, nanos) = uid.get_timestamp().expect("a time").to_unix();
        assert_eq!(secs as i64 * 1000 + i64::from(nanos / 1_000_000), created_at, "{uid}");
        assert!(uids.insert(n.uid.clone()));
    }
}

#[tokio::test]
async fn messages_stored_before_the_ids_get_one_in_the_migration_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    messages_stored_before_the_ids_get_one_in_the_migration(
        format!("sqlite://{}/portal.db", dir.path().display()),
        false,
    )
    .await;
}

#[tokio::test]
async fn messages_stored_before_the_ids_get_one_in_the_migration_postgres() {
    let (url, db) = common::empty_postgres().await;
    messages_stored_before_the_ids_get_one_in_the_migration(url, true).await;
    db.drop_db().await;
}
