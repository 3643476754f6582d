//! Evidence uploads: checked, stripped of location data, stored as pending until a filing
//! attaches them, purged when abandoned.

use crate::domain::clock::unix_ms;
use crate::error::AppError;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

/// Takes one evidence upload: checks type (from the bytes) and size, removes location data from
/// photos, stores the bytes and records the file as pending until a filing attaches it.
pub async fn upload_evidence(
    services: &crate::service::state::Services,
    bytes: Vec<u8>,
    already: usize,
    now: OffsetDateTime,
) -> Result<crate::ports::EvidenceRecord, AppError> {
    use crate::domain::evidence::check_upload;
    let kind = check_upload(&bytes, already)
        .map_err(|e| AppError::Invalid(vec![crate::domain::FieldError::new("evidence", e)]))?;
    let bytes = crate::metadata::strip_location(kind, bytes);
    let id = hex::encode(rand::random::<[u8; 16]>());
    let record = crate::ports::EvidenceRecord {
        id: id.clone(),
        kind,
        size: bytes.len() as i64,
        sha256: hex::encode(Sha256::digest(&bytes)),
        uploaded_at: unix_ms(now),
    };
    services.blobs.put(&id, bytes).await?;
    services.cases.add_evidence(&record).await?;
    Ok(record)
}

/// How long an uploaded file may wait for a filing to attach it.
pub const PENDING_EVIDENCE_MS: i64 = 24 * 3600 * 1000;

/// Deletes evidence that was uploaded more than a day ago and never filed (an abandoned draft).
/// Returns how many files went.
pub async fn purge_abandoned_evidence(
    services: &crate::service::state::Services,
    now: OffsetDateTime,
) -> Result<usize, AppError> {
    let ids = services.cases.purge_pending_evidence(unix_ms(now) - PENDING_EVIDENCE_MS).await?;
    for id in &ids {
        services.blobs.delete(id).await?;
    }
    Ok(ids.len())
}
