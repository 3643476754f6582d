//! PostgreSQL adapter, for a cluster of app servers sharing one database.

use super::sql::case_store;
use super::ConnectError;
use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;
use std::time::Duration;

pub struct PgStore {
    pub pool: PgPool,
}

impl PgStore {
    pub async fn connect(url: &str) -> Result<Self, ConnectError> {
        let pool =
            PgPoolOptions::new().max_connections(16).acquire_timeout(Duration::from_secs(10)).connect(url).await?;
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        Ok(Self { pool })
    }
}

super::staff_sql::staff_store!(PgStore);
case_store!(PgStore, sqlx::Postgres);
