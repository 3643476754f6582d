//! The businesses complained of most and the goods complained of most per prefecture: sums over
//! every business's months, too slow to read per request at scale (2,000,000 items in SQLite:
//! this month's ranking 0.3 s, the 12 months' 2.4 s, their hot goods 5.3 s). Each server keeps
//! the last answer per window and, once it is older than [`MAX_AGE`] (a minute), reads it again in the
//! background while requests go on getting the last one; only the first request for a window
//! after a start waits for it. A ranking a minute old tells a buyer as much as a fresh one;
//! what must hold at once (a take-down) is in the disclosed complaints, read afresh each time.

use crate::error::AppError;
use crate::ports::{CaseStore, RecordedBusiness};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How old a ranking may be before it is read again, by default.
pub const MAX_AGE: Duration = Duration::from_secs(60);

/// Businesses ranked per window: the longest list asked for (the search's landing page, whose
/// page size `service::disclosure` checks against this at compile time).
pub const RANKED: i64 = 20;

/// Windows kept at most (two are in use at a time: this month and the last 12 months).
const CAPACITY: usize = 16;

/// (county, category, complaints) of a window.
pub type Hot = Vec<(String, String, i64)>;

/// The rankings this server read last, per window's first month.
#[derive(Debug)]
pub struct Rankings {
    top: Arc<Memo<Vec<RecordedBusiness>>>,
    hot: Arc<Memo<Hot>>,
}

impl Default for Rankings {
    fn default() -> Self {
        Rankings::new(MAX_AGE)
    }
}

impl Rankings {
    /// Rankings read again once older than `max_age`.
    pub fn new(max_age: Duration) -> Self {
        Rankings { top: Arc::new(Memo::new(max_age)), hot: Arc::new(Memo::new(max_age)) }
    }

    /// How many times a ranking was read from the store (for tests).
    pub fn reads(&self) -> u64 {
        self.top.reads.load(Ordering::Relaxed) + self.hot.reads.load(Ordering::Relaxed)
    }
}

/// The businesses complained of most since `from_month` (`YYYY-MM`), at most `limit`.
pub async fn top(
    store: &Arc<dyn CaseStore>,
    rankings: &Rankings,
    from_month: &str,
    limit: i64,
) -> Result<Vec<RecordedBusiness>, AppError> {
    let (store, from) = (store.clone(), from_month.to_owned());
    let read = move || {
        let (store, from) = (store.clone(), from.clone());
        async move { store.record_top(&from, RANKED).await }
    };
    let mut ranked = Memo::get(&rankings.top, from_month, read).await?;
    ranked.truncate(usize::try_from(limit).unwrap_or(0));
    Ok(ranked)
}

/// The complaints per county and category since `from_month`.
pub async fn hot(store: &Arc<dyn CaseStore>, rankings: &Rankings, from_month: &str) -> Result<Hot, AppError> {
    let (store, from) = (store.clone(), from_month.to_owned());
    let read = move || {
        let (store, from) = (store.clone(), from.clone());
        async move { store.record_hot(&from).await }
    };
    Memo::get(&rankings.hot, from_month, read).await
}

/// One kind of ranking per window: when it was read, the answer, and whether a read is under way.
#[derive(Debug)]
struct Memo<V> {
    max_age: Duration,
    map: Mutex<HashMap<String, (Instant, V, bool)>>,
    /// Held by the task reading a window for the first time (the others wait for it).
    first: tokio::sync::Mutex<()>,
    /// How many times the store was read.
    reads: AtomicU64,
}

impl<V: Clone + Send + 'static> Memo<V> {
    fn new(max_age: Duration) -> Self {
        Memo { max_age, map: Mutex::new(HashMap::new()), first: tokio::sync::Mutex::new(()), reads: AtomicU64::new(0) }
    }

    async fn get<F, Fut>(memo: &Arc<Self>, key: &str, read: F) -> Result<V, AppError>
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = Result<V, AppError>> + Send + 'static,
    {
        if let Some(v) = Self::last(memo, key, &read) {
            return Ok(v);
        }
        // The first read of a window runs on a task of its own, so that it completes and is kept
        // even when the request that started it goes away (a client that gives up after 2 s
        // would otherwise cancel every 5-second read); the requests meanwhile wait for it.
        let (memo, key, answer) = (memo.clone(), key.to_owned(), read());
        let first = tokio::spawn(async move {
            let _turn = memo.first.lock().await;
            if let Some((_, v, _)) = memo.map.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
                return Ok(v.clone());
            }
            memo.reads.fetch_add(1, Ordering::Relaxed);
            let v = answer.await?;
            memo.put(&key, v.clone());
            Ok(v)
        });
        first.await.map_err(|e| {
            tracing::error!(error = %e, "the first read of a ranking failed");
            AppError::Internal
        })?
    }

    /// The last answer for `key`, if any; an old one is read again in the background.
    fn last<F, Fut>(memo: &Arc<Self>, key: &str, read: &F) -> Option<V>
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = Result<V, AppError>> + Send + 'static,
    {
        let mut map = memo.map.lock().unwrap_or_else(|e| e.into_inner());
        let (at, v, reading) = map.get_mut(key)?;
        if at.elapsed() >= memo.max_age && !*reading {
            *reading = true;
            let (memo, key, answer) = (memo.clone(), key.to_owned(), read());
            tokio::spawn(async move {
                memo.reads.fetch_add(1, Ordering::Relaxed);
                match answer.await {
                    Ok(v) => memo.put(&key, v),
                    Err(e) => {
                        tracing::warn!(error = %e, "a ranking could not be read again: the last one stays");
                        let mut map = memo.map.lock().unwrap_or_else(|e| e.into_inner());
                        if let Some(entry) = map.get_mut(&key) {
                            entry.2 = false;
                        }
                    }
                }
            });
        }
        Some(v.clone())
    }

    fn put(&self, key: &str, v: V) {
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= CAPACITY && !map.contains_key(key) {
            map.clear();
        }
        map.insert(key.to_owned(), (Instant::now(), v, false));
    }
}
