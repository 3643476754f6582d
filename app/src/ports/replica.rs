//! Reads that tolerate a little lag (public statistics, the open-day screen's first view, typical
//! cases) may go to a streaming replica of the database instead of the primary.

use super::CaseStore;
use std::sync::Arc;

/// A read replica as the server watches it.
pub trait Replica: Send + Sync {
    /// The replica's store while it answers and is no further behind the primary than the set
    /// bound; `None` (counted and logged by the server) to read from the primary instead.
    fn current(&self) -> Option<Arc<dyn CaseStore>>;
    /// A read from the replica failed: use the primary until the replica is seen healthy again.
    fn failed(&self);
}
