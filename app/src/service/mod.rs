//! Application services: the steps that combine the domain with the storage ports. Server
//! functions, the plain-form routes and the CLI call these; they hold no HTTP and no SQL, and they
//! return the view types of `crate::views`.

pub mod audit;
pub mod budget;
pub mod codes;
pub mod console;
pub mod disclosure;
pub mod evidence;
pub mod filing;
pub mod hashing;
pub mod notify;
pub mod objections;
pub mod odr;
pub mod publish;
pub mod queue;
pub mod rankings;
pub mod recover;
pub mod register;
pub mod screen;
pub mod second_factor;
pub mod staff;
pub mod state;
pub mod stats;
pub mod step;
pub mod subscriptions;
pub mod track;

/// How long a write waits between tries for a database that is not there for a moment (a
/// failover takes about 15 s, docs/deploy.md): a filing and a signed-in account's step. After
/// the last, the consumer's page sends a filing again; a step's page says to try again.
pub const RETRY_DELAYS_MS: [u64; 6] = [250, 500, 1_000, 2_000, 4_000, 8_000];

/// Runs `op` again while it answers [`AppError::Busy`](crate::error::AppError::Busy), waiting
/// [`RETRY_DELAYS_MS`] between tries (about 16 s in all), then answers what the last try did.
/// For work that is safe to repeat: a read, a write made idempotent by a key or a version.
pub async fn retrying<T, F, Fut>(mut op: F) -> Result<T, crate::error::AppError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, crate::error::AppError>>,
{
    for delay in RETRY_DELAYS_MS {
        match op().await {
            Err(crate::error::AppError::Busy) => tokio::time::sleep(std::time::Duration::from_millis(delay)).await,
            other => return other,
        }
    }
    op().await
}
