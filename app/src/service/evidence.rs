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

/// An evidence file being received: its bytes are judged by type from the first of them, freed
/// of location data and written to the blob store as they come, so that at most a chunk (and a
/// stripper's header, see [`crate::metadata::Stripper`]) is held in memory.
pub struct Incoming {
    id: String,
    first: Vec<u8>,
    kind: Option<crate::domain::evidence::EvidenceKind>,
    stripper: Option<crate::metadata::Stripper>,
    writer: Option<Box<dyn crate::ports::BlobWriter>>,
    hasher: Sha256,
    read: usize,
    size: i64,
    refused: Option<crate::domain::Invalid>,
    out: Vec<u8>,
}

/// A file received whole and written, not yet kept: [`register`] keeps it, dropping it leaves
/// nothing behind.
pub struct Received {
    record: crate::ports::EvidenceRecord,
    writer: Box<dyn crate::ports::BlobWriter>,
}

fn refuse(e: crate::domain::Invalid) -> AppError {
    AppError::Invalid(vec![crate::domain::FieldError::new("evidence", e)])
}

/// Begins one evidence upload from `client`: spends the address's hourly upload budget and
/// refuses it at once while too many bytes wait to be filed.
pub async fn begin_upload(
    services: &crate::service::state::Services,
    client: &str,
    now: OffsetDateTime,
) -> Result<Incoming, AppError> {
    super::budget::spend_upload(services.cases.as_ref(), &services.budgets, client, now).await?;
    paused(services, 0).await?;
    Ok(Incoming {
        id: hex::encode(rand::random::<[u8; 16]>()),
        first: Vec::new(),
        kind: None,
        stripper: None,
        writer: None,
        hasher: Sha256::new(),
        read: 0,
        size: 0,
        refused: None,
        out: Vec::new(),
    })
}

async fn paused(services: &crate::service::state::Services, more: i64) -> Result<(), AppError> {
    let pending = services.cases.pending_evidence_bytes().await?;
    if pending + more > services.budgets.pending_upload_bytes || pending >= services.budgets.pending_upload_bytes {
        tracing::warn!(pending, "evidence uploads paused: too many bytes wait to be filed");
        return Err(refuse(crate::domain::Invalid::UploadsPaused));
    }
    Ok(())
}

impl Incoming {
    /// The next bytes of the file. A file refused (by its type, its size or its layout) is read
    /// on to its end without anything more being kept, and [`Incoming::finish`] says why.
    pub async fn push(&mut self, services: &crate::service::state::Services, chunk: &[u8]) -> Result<(), AppError> {
        use crate::domain::evidence::{MAX_BYTES, SNIFF_BYTES};
        if self.refused.is_some() || chunk.is_empty() {
            return Ok(());
        }
        self.read += chunk.len();
        if self.read > MAX_BYTES {
            return self.refuse(crate::domain::Invalid::FileTooLarge { max_mb: (MAX_BYTES >> 20) as u32 });
        }
        if self.kind.is_none() {
            self.first.extend_from_slice(chunk);
            if self.first.len() < SNIFF_BYTES {
                return Ok(());
            }
            return self.start(services).await;
        }
        self.strip(chunk).await
    }

    /// Judges the type from the first bytes gathered, opens the blob and passes them on.
    async fn start(&mut self, services: &crate::service::state::Services) -> Result<(), AppError> {
        let first = std::mem::take(&mut self.first);
        let Some(kind) = crate::domain::evidence::sniff(&first) else {
            return self.refuse(crate::domain::Invalid::FileType);
        };
        self.kind = Some(kind);
        self.stripper = Some(crate::metadata::Stripper::new(kind));
        self.writer = Some(services.blobs.writer(&self.id).await?);
        self.strip(&first).await
    }

    fn refuse(&mut self, e: crate::domain::Invalid) -> Result<(), AppError> {
        self.refused = Some(e);
        self.first = Vec::new();
        self.stripper = None;
        self.writer = None;
        Ok(())
    }

    async fn strip(&mut self, bytes: &[u8]) -> Result<(), AppError> {
        let Some(stripper) = self.stripper.as_mut() else { return Ok(()) };
        self.out.clear();
        if stripper.push(bytes, &mut self.out).is_err() {
            return self.refuse(crate::domain::Invalid::PhotoLayout);
        }
        self.write_out().await
    }

    async fn write_out(&mut self) -> Result<(), AppError> {
        self.hasher.update(&self.out);
        self.size += self.out.len() as i64;
        if let Some(w) = self.writer.as_mut() {
            w.write(&self.out).await?;
        }
        Ok(())
    }

    /// The end of the file: it is refused, or written whole and ready to be registered.
    pub async fn finish(
        mut self,
        services: &crate::service::state::Services,
        now: OffsetDateTime,
    ) -> Result<Received, AppError> {
        if self.read == 0 && self.refused.is_none() {
            return Err(refuse(crate::domain::Invalid::Required));
        }
        if self.kind.is_none() && self.refused.is_none() {
            // A file shorter than the bytes that tell its type.
            self.start(services).await?;
        }
        if let Some(e) = self.refused {
            return Err(refuse(e));
        }
        let (Some(kind), Some(stripper)) = (self.kind, self.stripper.take()) else { return Err(AppError::Internal) };
        self.out.clear();
        stripper.finish(&mut self.out);
        self.write_out().await?;
        let writer = self.writer.take().ok_or(AppError::Internal)?;
        let record = crate::ports::EvidenceRecord {
            id: self.id,
            kind,
            size: self.size,
            sha256: hex::encode(self.hasher.finalize()),
            uploaded_at: unix_ms(now),
        };
        Ok(Received { record, writer })
    }
}

/// Keeps a file received for the draft of the upload token `draft` (a token this server did not
/// issue, or none, starts a new draft): refuses it while too many bytes wait to be filed, counts
/// it among the draft's 5 files, commits its bytes and records it as pending until a filing
/// attaches it.
pub async fn register(
    services: &crate::service::state::Services,
    received: Received,
    draft: &str,
    now: OffsetDateTime,
) -> Result<Uploaded, AppError> {
    let Received { record, writer } = received;
    paused(services, record.size).await?;
    let draft =
        if draft_token_valid(&services.secret, draft) { draft.to_owned() } else { new_draft_token(&services.secret) };
    super::budget::spend_draft_file(services.cases.as_ref(), &draft, now).await?;
    writer.commit().await?;
    if let Err(e) = services.cases.add_evidence(&record).await {
        services.blobs.delete(&record.id).await?;
        return Err(e);
    }
    Ok(Uploaded { record, draft })
}

/// Takes one evidence upload from `client`, whole: [`begin_upload`], [`Incoming::push`],
/// [`Incoming::finish`] and [`register`] in turn.
pub async fn upload_evidence(
    services: &crate::service::state::Services,
    bytes: Vec<u8>,
    draft: &str,
    client: &str,
    now: OffsetDateTime,
) -> Result<Uploaded, AppError> {
    let mut incoming = begin_upload(services, client, now).await?;
    for chunk in bytes.chunks(64 << 10) {
        incoming.push(services, chunk).await?;
    }
    let received = incoming.finish(services, now).await?;
    register(services, received, draft, now).await
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
