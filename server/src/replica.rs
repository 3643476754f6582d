//! The read replica (`DATABASE_READ_URL`): a PostgreSQL streaming hot standby that serves the
//! reads which tolerate a little lag (`app::ports::Replica`). Watched twice a second: the
//! primary's WAL position is sampled, and the replica's lag is the age of the newest sample it has
//! replayed past (so an idle primary is no lag, and a standby cut off from its primary is seen
//! falling behind). While the replica does not answer or lags more than the bound, reads go to
//! the primary: logged when it changes, counted in `/metrics` (`portal_replica_fallback_reads_total`,
//! `portal_replica_healthy`, `portal_replica_lag_seconds`).

use crate::store::postgres::PgStore;
use crate::store::ConnectError;
use app::ports::{CaseStore, Replica};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgPool, Row};
use std::collections::VecDeque;
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How often the replica's lag is measured.
pub const TICK: Duration = Duration::from_millis(500);

/// The WAL position as bytes from the start (comparable across primary and standby).
const PRIMARY_LSN: &str = "SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint AS lsn";
/// What the standby has replayed (on a server that is not a standby: its own position).
const REPLAYED_LSN: &str = "SELECT (COALESCE(pg_last_wal_replay_lsn(), pg_current_wal_lsn()) - '0/0'::pg_lsn)::bigint \
     AS lsn";

/// The primary's WAL positions of the last few ticks, and the lag they give a standby position.
#[derive(Debug, Default)]
pub struct LagClock {
    samples: VecDeque<(Instant, i64)>,
}

impl LagClock {
    /// Records the primary's position at `at`, keeping the samples of the last `keep`.
    pub fn primary_at(&mut self, at: Instant, lsn: i64, keep: Duration) {
        self.samples.push_back((at, lsn));
        while self.samples.len() > 2 && self.samples.front().is_some_and(|(t, _)| at.duration_since(*t) > keep) {
            self.samples.pop_front();
        }
    }

    /// How far behind a standby that has replayed up to `replayed` is at `now`: the age of the
    /// newest primary sample it has reached; at least the age of the oldest one kept if it has
    /// reached none.
    pub fn lag(&self, replayed: i64, now: Instant) -> Duration {
        match self.samples.iter().rev().find(|(_, lsn)| *lsn <= replayed) {
            Some((t, _)) => now.duration_since(*t),
            None => self.samples.front().map(|(t, _)| now.duration_since(*t)).unwrap_or(Duration::MAX),
        }
    }
}

/// The replica's store and whether it may be read now.
pub struct ReplicaWatch {
    store: Arc<dyn CaseStore>,
    healthy: AtomicBool,
}

impl ReplicaWatch {
    fn set(&self, healthy: bool, why: &str) {
        metrics::gauge!("portal_replica_healthy").set(if healthy { 1.0 } else { 0.0 });
        if self.healthy.swap(healthy, Ordering::Relaxed) != healthy {
            if healthy {
                tracing::info!(why, "read replica healthy: lag-tolerant reads go to it");
            } else {
                tracing::warn!(why, "read replica unavailable: reading the primary");
            }
        }
    }
}

impl Replica for ReplicaWatch {
    fn current(&self) -> Option<Arc<dyn CaseStore>> {
        if self.healthy.load(Ordering::Relaxed) {
            Some(self.store.clone())
        } else {
            metrics::counter!("portal_replica_fallback_reads_total").increment(1);
            None
        }
    }

    fn failed(&self) {
        metrics::counter!("portal_replica_fallback_reads_total").increment(1);
        self.set(false, "a read failed");
    }
}

async fn lsn(pool: &PgPool, sql: &'static str) -> Result<i64, sqlx::Error> {
    sqlx::query(sql).fetch_one(pool).await?.try_get("lsn")
}

/// Connects (lazily: a replica down at start is only a fallback) to the replica at `read_url`,
/// and watches it against the primary at `primary_url`; reads go to it while its lag is within
/// `max_lag`. Starts unhealthy until the first measurement.
pub fn watch(primary_url: &str, read_url: &str, max_lag: Duration) -> Result<Arc<ReplicaWatch>, ConnectError> {
    let options = |url: &str| -> Result<PgConnectOptions, ConnectError> {
        Ok(PgConnectOptions::from_str(url)?.options([("plan_cache_mode", "force_custom_plan")]))
    };
    let pool = |max: u32| PgPoolOptions::new().max_connections(max).acquire_timeout(Duration::from_secs(2));
    let replica = pool(8).connect_lazy_with(options(read_url)?);
    let primary = pool(1).connect_lazy_with(options(primary_url)?);
    let watch =
        Arc::new(ReplicaWatch { store: Arc::new(PgStore { pool: replica.clone() }), healthy: AtomicBool::new(false) });
    metrics::gauge!("portal_replica_healthy").set(0.0);
    let w = watch.clone();
    tokio::spawn(async move {
        let mut clock = LagClock::default();
        let mut tick = tokio::time::interval(TICK);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match lsn(&primary, PRIMARY_LSN).await {
                Ok(p) => clock.primary_at(Instant::now(), p, max_lag + 2 * TICK),
                Err(e) => tracing::debug!(error = %e, "primary's WAL position"),
            }
            let replayed = tokio::time::timeout(max_lag.max(TICK), lsn(&replica, REPLAYED_LSN)).await;
            match replayed {
                Ok(Ok(r)) => {
                    let lag = clock.lag(r, Instant::now());
                    metrics::gauge!("portal_replica_lag_seconds").set(lag.as_secs_f64().min(86_400.0));
                    if lag <= max_lag {
                        w.set(true, "caught up");
                    } else {
                        w.set(false, "lagging");
                    }
                }
                Ok(Err(_)) | Err(_) => w.set(false, "not answering"),
            }
        }
    });
    Ok(watch)
}

#[cfg(test)]
mod tests {
    use super::LagClock;
    use std::time::{Duration, Instant};

    #[test]
    fn lag_is_the_age_of_the_newest_primary_position_replayed() {
        let t0 = Instant::now();
        let ms = Duration::from_millis;
        let mut c = LagClock::default();
        let keep = ms(3000);
        c.primary_at(t0, 100, keep);
        c.primary_at(t0 + ms(500), 200, keep);
        c.primary_at(t0 + ms(1000), 200, keep);
        // Caught up with the newest sample: no lag however old the last write.
        assert_eq!(c.lag(200, t0 + ms(1000)), ms(0));
        // Replayed only what the primary had at t0.
        assert_eq!(c.lag(150, t0 + ms(1000)), ms(1000));
        // Behind every sample kept: at least as old as the oldest.
        assert_eq!(c.lag(50, t0 + ms(1000)), ms(1000));
        // Old samples are dropped past `keep` (two are always kept).
        c.primary_at(t0 + ms(5000), 300, keep);
        assert_eq!(c.lag(150, t0 + ms(5000)), ms(4000));
        assert_eq!(c.lag(250, t0 + ms(5000)), ms(4000));
        assert_eq!(c.lag(300, t0 + ms(5000)), ms(0));
    }
}
