//! Evidence uploads: checked, stripped of location data, stored as pending until a filing
//! attaches them, purged when abandoned.

use crate::domain::clock::unix_ms;
use crate::error::AppError;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

/// An evidence file stored, and the upload token of its draft (new with the draft's first file).
#[derive(Debug, Clone)]
pub struct Uploaded {
    pub record: crate::ports::EvidenceRecord,
    pub draft: String,
}

/// A new upload token: random, with its keyed hash, so that the server knows it issued it.
fn new_draft_token(secret: &crate::service::codes::Secret) -> String {
    let id = hex::encode(rand::random::<[u8; 16]>());
    let tag = crate::service::codes::keyed_hex(secret, b"draft:", &id);
    format!("{id}.{tag}")
}

fn draft_token_valid(secret: &crate::service::codes::Secret, token: &str) -> bool {
    use subtle::ConstantTimeEq;
    token.split_once('.').is_some_and(|(id, tag)| {
        id.len() == 32
            && bool::from(crate::service::codes::keyed_hex(secret, b"draft:", id).as_bytes().ct_eq(tag.as_bytes()))
    })
}

/// Takes one evidence upload from `client` for the draft of the upload token `draft` (a token
/// this server did not issue, or none, starts a new draft): spends the address's hourly upload
/// budget, checks type (from the bytes) and size, refuses it while too many bytes wait to be
/// filed, counts it among the draft's 5 files, removes location data from photos, stores the
/// bytes and records the file as pending until a filing attaches it.
pub async fn upload_evidence(
    services: &crate::service::state::Services,
    bytes: Vec<u8>,
    draft: &str,
    client: &str,
    now: OffsetDateTime,
) -> Result<Uploaded, AppError> {
    use crate::domain::evidence::check_upload;
    use crate::domain::{FieldError, Invalid};
    let refuse = |e| AppError::Invalid(vec![FieldError::new("evidence", e)]);
    super::budget::spend_upload(services.cases.as_ref(), &services.budgets, client, now).await?;
    let kind = check_upload(&bytes, 0).map_err(refuse)?;
    let pending = services.cases.pending_evidence_bytes().await?;
    if pending + bytes.len() as i64 > services.budgets.pending_upload_bytes {
        tracing::warn!(pending, "evidence uploads paused: too many bytes wait to be filed");
        return Err(refuse(Invalid::UploadsPaused));
    }
    let draft =
        if draft_token_valid(&services.secret, draft) { draft.to_owned() } else { new_draft_token(&services.secret) };
    super::budget::spend_draft_file(services.cases.as_ref(), &draft, now).await?;
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
    Ok(Uploaded { record, draft })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_tokens_this_server_issued_are_taken() {
        let secret = crate::service::codes::Secret([7; 32]);
        let t = new_draft_token(&secret);
        assert!(draft_token_valid(&secret, &t));
        assert!(!draft_token_valid(&crate::service::codes::Secret([8; 32]), &t), "another server's secret");
        let (id, _) = t.split_once('.').unwrap();
        assert!(!draft_token_valid(&secret, &format!("{id}.{}", "0".repeat(32))), "an invented tag");
        assert!(!draft_token_valid(&secret, ""));
        assert_ne!(new_draft_token(&secret), t);
    }
}
