//! What every service is handed: the storage ports, the server's secret and the figures cache.

/// The application's services, given to server functions as context.
#[derive(Clone)]
pub struct Services {
    pub cases: std::sync::Arc<dyn crate::ports::CaseStore>,
    pub staff: std::sync::Arc<dyn crate::ports::StaffStore>,
    pub blobs: std::sync::Arc<dyn crate::ports::BlobStore>,
    pub secret: crate::service::codes::Secret,
    /// The public statistics recently read (see `service::stats::FiguresCache`).
    pub figures: std::sync::Arc<crate::service::stats::FiguresCache>,
    /// The slots for password hashing (see `service::hashing::HashGate`).
    pub hashing: crate::service::hashing::HashGate,
    /// How many filings one client or one phone may make per hour (see `service::budget`).
    pub budgets: crate::service::budget::Budgets,
    /// The staff roles that must sign in with a second factor.
    pub second_factor: crate::domain::staff::SecondFactorRoles,
    /// The channels this server sends messages through.
    pub channels: crate::domain::notify::Channels,
    /// A read replica for the reads that tolerate a little lag (none: every read from `cases`).
    pub replica: Option<std::sync::Arc<dyn crate::ports::Replica>>,
}

impl Services {
    /// Runs `read` (a read that tolerates a little lag) on the replica while it is healthy, else
    /// on the primary; a read the replica fails (it went down since it was last seen) is run
    /// again on the primary.
    pub async fn read_lagging<'a, T, F, Fut>(&'a self, read: F) -> Result<T, crate::error::AppError>
    where
        F: Fn(std::sync::Arc<dyn crate::ports::CaseStore>) -> Fut,
        Fut: std::future::Future<Output = Result<T, crate::error::AppError>> + 'a,
    {
        if let Some(replica) = self.replica.as_ref() {
            if let Some(store) = replica.current() {
                match read(store).await {
                    Err(e) if e.status() >= 500 => {
                        tracing::warn!(error = %e, "read replica failed a read: reading the primary");
                        replica.failed();
                    }
                    answer => return answer,
                }
            }
        }
        read(self.cases.clone()).await
    }
}

/// The address of the client a request comes from (the connection's, or a trusted proxy's
/// header), put in every request by the server for the throttles and budgets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientAddress(pub String);
