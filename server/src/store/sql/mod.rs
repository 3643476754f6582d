//! The SQL of the stores, written once for both backends: the statements use only what
//! SQLite (≥ 3.35) and PostgreSQL share (`$n` parameters in increasing order, `RETURNING`,
//! `ON CONFLICT … DO UPDATE`). One module per aggregate, each with a macro that implements its
//! port trait for one sqlx database type; [`stores!`] implements them all.

pub mod budget;
pub mod businesses;
pub mod cases;
pub mod common;
pub mod disclosure;
pub mod evidence;
pub mod import;
pub mod meta;
pub mod new_case;
pub mod objections;
pub mod outbox;
pub mod phone_codes;
pub mod publish;
pub mod queue;
pub mod rows;
pub mod second_factor;
pub mod staff;
pub mod stats;
pub mod subscriptions;
pub mod throttle;

/// Implements every store port for `$store` (the bulk import aside: `store::sqlite_import` and
/// `store::pg_copy`, from the rows of `import`) (a struct with a `pool: sqlx::Pool<$db>`).
macro_rules! stores {
    ($store:ty, $db:ty) => {
        crate::store::sql::cases::cases_store!($store, $db);
        crate::store::sql::new_case::new_case_store!($store, $db);
        crate::store::sql::evidence::evidence_store!($store, $db);
        crate::store::sql::throttle::throttle_store!($store, $db);
        crate::store::sql::budget::budget_store!($store, $db);
        crate::store::sql::queue::queue_store!($store, $db);
        crate::store::sql::stats::stats_store!($store, $db);
        crate::store::sql::publish::publish_store!($store, $db);
        crate::store::sql::meta::meta_store!($store, $db);
        crate::store::sql::outbox::outbox_store!($store, $db);
        crate::store::sql::phone_codes::phone_code_store!($store, $db);
        crate::store::sql::businesses::business_store!($store, $db);
        crate::store::sql::disclosure::disclosure_store!($store, $db);
        crate::store::sql::objections::objection_store!($store, $db);
        crate::store::sql::subscriptions::subscription_store!($store, $db);
        crate::store::sql::staff::staff_store!($store);
        crate::store::sql::second_factor::second_factor_store!($store);
    };
}

pub(crate) use stores;
