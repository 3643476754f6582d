//! The audit log's entries as the services write them.

use crate::domain::clock::unix_ms;
use crate::error::AppError;
use crate::ports::AuditEntry;
use crate::service::state::Services;
use time::OffsetDateTime;

/// Appends an entry: who (`actor`), what (`action`), about what (`subject`), from where (`client`).
pub(crate) async fn audit(
    services: &Services,
    now: OffsetDateTime,
    actor: Option<&str>,
    action: &str,
    subject: Option<&str>,
    client: Option<&str>,
) -> Result<(), AppError> {
    services
        .staff
        .audit(&AuditEntry {
            at: unix_ms(now),
            actor: actor.map(str::to_owned),
            action: action.to_owned(),
            subject: subject.map(str::to_owned),
            client: client.map(str::to_owned),
        })
        .await
}
