//! The evidence blob store on the `object_store` crate: a local directory by default; the same
//! trait serves S3-compatible storage for a cluster.

use app::error::AppError;
use app::ports::BlobStore;
use object_store::path::Path as StorePath;
use object_store::{ObjectStore, ObjectStoreExt, PutMode, PutOptions, PutPayload};
use std::sync::Arc;

pub struct ObjectBlobStore {
    store: Arc<dyn ObjectStore>,
    /// Where a blob written piece by piece waits until it is committed (on the same file
    /// system as a local store, so that committing it is a rename).
    spool: std::path::PathBuf,
    /// The directory of a local store: a file written there is flushed to the disk (and its
    /// directory entry too) before `put` returns, so that a filing acknowledged after it keeps
    /// its evidence through a power loss. `object_store` renames a finished file into place but
    /// does not flush it.
    local_dir: Option<std::path::PathBuf>,
}

/// Flushes `file` and the directories from it up to `root` to the disk.
fn sync_to_disk(root: &std::path::Path, file: &std::path::Path) -> std::io::Result<()> {
    std::fs::File::open(file)?.sync_all()?;
    let mut dir = file.parent();
    while let Some(d) = dir {
        std::fs::File::open(d)?.sync_all()?;
        if d == root {
            break;
        }
        dir = d.parent();
    }
    Ok(())
}

impl ObjectBlobStore {
    /// Files under `dir` (created if missing).
    pub fn local(dir: &std::path::Path) -> std::io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let dir = dir.canonicalize()?;
        let fs = object_store::local::LocalFileSystem::new_with_prefix(&dir).map_err(std::io::Error::other)?;
        let spool = open_spool(&dir.join(".incoming"))?;
        Ok(Self { store: Arc::new(fs), local_dir: Some(dir), spool })
    }

    /// An S3-compatible bucket, from a URL `s3://bucket` or `s3://bucket/prefix` (objects go
    /// under the prefix). Credentials, region and endpoint come from the usual variables,
    /// read by `object_store`: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`,
    /// `AWS_ENDPOINT` (for a store other than Amazon's, e.g. `http://10.0.0.5:9000`) and
    /// `AWS_ALLOW_HTTP=true` for a plain-HTTP endpoint on a private network.
    /// Uploads wait in `spool` (a local directory) until they are complete.
    pub fn s3(url: &str, spool: &std::path::Path) -> Result<Self, BlobUrlError> {
        Self::s3_with(url, object_store::aws::AmazonS3Builder::from_env(), spool)
    }

    /// As [`ObjectBlobStore::s3`], with the settings given instead of read from the environment.
    pub fn s3_with(
        url: &str,
        builder: object_store::aws::AmazonS3Builder,
        spool: &std::path::Path,
    ) -> Result<Self, BlobUrlError> {
        let spool = open_spool(spool).map_err(|e| BlobUrlError::Store(format!("{}: {e}", spool.display())))?;
        let (bucket, prefix) = parse_s3_url(url)?;
        let s3 = builder.with_bucket_name(bucket).build().map_err(|e| BlobUrlError::Store(e.to_string()))?;
        let store: Arc<dyn ObjectStore> =
            if prefix.is_empty() { Arc::new(s3) } else { Arc::new(object_store::prefix::PrefixStore::new(s3, prefix)) };
        Ok(Self { store, local_dir: None, spool })
    }

    /// Writes and removes a small object once (at start, so that a wrong bucket, endpoint or
    /// key, or a missing write permission, is reported then rather than at a consumer's upload).
    pub async fn check(&self) -> Result<(), AppError> {
        let path = StorePath::from("portal-start-check");
        self.store
            .put(&path, PutPayload::from_static(b"ok"))
            .await
            .map_err(|e| AppError::internal("blob store check", e))?;
        self.store.delete(&path).await.map_err(|e| AppError::internal("blob store check", e))?;
        Ok(())
    }
}

/// How long an unfinished upload's file may stay in the spool: longer means its server stopped
/// while reading it, and the next start removes it.
const SPOOL_STALE: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

/// Creates the spool directory and removes the stale files in it.
fn open_spool(dir: &std::path::Path) -> std::io::Result<std::path::PathBuf> {
    std::fs::create_dir_all(dir)?;
    for entry in std::fs::read_dir(dir)?.flatten() {
        let stale = entry.metadata().and_then(|m| m.modified()).ok().and_then(|t| t.elapsed().ok());
        if stale.is_some_and(|age| age > SPOOL_STALE) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    dir.canonicalize()
}

/// The most bytes of one blob held in memory while it goes into a bucket: S3's smallest
/// multipart part (every part but the last must be at least 5 MiB).
const S3_PART: usize = 5 << 20;

/// Blobs going into a bucket at once from one server (each holds up to two parts in memory).
static S3_COMMITS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(4);

/// A blob written to a file in the spool as it arrives (see [`BlobStore::writer`]).
struct SpoolWriter {
    file: Option<tokio::fs::File>,
    path: std::path::PathBuf,
    key: String,
    store: Arc<dyn ObjectStore>,
    local_dir: Option<std::path::PathBuf>,
}

impl Drop for SpoolWriter {
    fn drop(&mut self) {
        // Committed, the file was moved or sent; not committed, it is removed.
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Refuses a key that is already there. Garage (the cluster's store) ignores S3's
/// `If-None-Match: *` and overwrites (checked with Garage 2.5.0), so the check comes first; keys
/// are 128 random bits, so two writers of one key would be a fault, which this reports.
async fn refuse_existing(store: &dyn ObjectStore, path: &StorePath) -> Result<(), AppError> {
    match store.head(path).await {
        Ok(_) => Err(AppError::internal("blob exists", path)),
        Err(object_store::Error::NotFound { .. }) => Ok(()),
        Err(e) => Err(AppError::internal("blob head", e)),
    }
}

fn io(context: &'static str) -> impl Fn(std::io::Error) -> AppError {
    move |e| AppError::internal(context, e)
}

#[async_trait::async_trait]
impl app::ports::BlobWriter for SpoolWriter {
    async fn write(&mut self, bytes: &[u8]) -> Result<(), AppError> {
        use tokio::io::AsyncWriteExt;
        let file = self.file.as_mut().ok_or(AppError::Internal)?;
        file.write_all(bytes).await.map_err(io("blob write"))
    }

    async fn commit(mut self: Box<Self>) -> Result<(), AppError> {
        use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};
        let mut file = self.file.take().ok_or(AppError::Internal)?;
        file.flush().await.map_err(io("blob write"))?;
        if let Some(root) = &self.local_dir {
            file.sync_all().await.map_err(io("blob sync"))?;
            drop(file);
            let to = root.join(&self.key);
            // A link, not a rename: it fails if the key exists. (The spool file goes on drop.)
            tokio::fs::hard_link(&self.path, &to).await.map_err(io("blob commit"))?;
            let root = root.clone();
            return tokio::task::spawn_blocking(move || sync_to_disk(&root, &to))
                .await
                .map_err(|e| AppError::internal("blob sync", e))?
                .map_err(io("blob sync"));
        }
        let _turn = S3_COMMITS.acquire().await.map_err(|e| AppError::internal("blob commit", e))?;
        file.seek(std::io::SeekFrom::Start(0)).await.map_err(io("blob commit"))?;
        let path = StorePath::from(self.key.as_str());
        refuse_existing(self.store.as_ref(), &path).await?;
        let upload = self.store.put_multipart(&path).await.map_err(|e| AppError::internal("blob commit", e))?;
        let mut parts = object_store::WriteMultipart::new_with_chunk_size(upload, S3_PART);
        let mut buf = vec![0u8; 256 << 10];
        loop {
            let n = file.read(&mut buf).await.map_err(io("blob commit"))?;
            if n == 0 {
                break;
            }
            if let Err(e) = parts.wait_for_capacity(1).await {
                let _ = parts.abort().await;
                return Err(AppError::internal("blob commit", e));
            }
            parts.write(&buf[..n]);
        }
        parts.finish().await.map_err(|e| AppError::internal("blob commit", e))?;
        Ok(())
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BlobUrlError {
    #[error("PORTAL_EVIDENCE_URL must look like s3://bucket or s3://bucket/prefix: {0}")]
    Url(String),
    #[error("PORTAL_EVIDENCE_URL: the object store cannot be set up: {0}")]
    Store(String),
}

/// `s3://bucket/some/prefix` → (`bucket`, `some/prefix`).
fn parse_s3_url(url: &str) -> Result<(&str, &str), BlobUrlError> {
    let rest = url.strip_prefix("s3://").ok_or_else(|| BlobUrlError::Url(url.to_owned()))?;
    let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
    let prefix = prefix.trim_matches('/');
    // Bucket names: 3–63 lower-case letters, digits, dots and hyphens (the S3 naming rules).
    let bucket_ok = (3..=63).contains(&bucket.len())
        && bucket.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-');
    let prefix_ok = prefix.split('/').all(|seg| prefix.is_empty() || (!seg.is_empty() && seg != "." && seg != ".."));
    if !bucket_ok || !prefix_ok {
        return Err(BlobUrlError::Url(url.to_owned()));
    }
    Ok((bucket, prefix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_bucket_and_prefix_from_the_url() {
        assert_eq!(parse_s3_url("s3://evidence"), Ok(("evidence", "")));
        assert_eq!(parse_s3_url("s3://qh-12315/portal/evidence/"), Ok(("qh-12315", "portal/evidence")));
        for bad in ["evidence", "s3://", "s3://A_Bucket", "s3://ok-bucket/../x", "https://b.example/x", "s3://ab"] {
            assert!(matches!(parse_s3_url(bad), Err(BlobUrlError::Url(_))), "{bad}");
        }
    }
}

#[async_trait::async_trait]
impl BlobStore for ObjectBlobStore {
    async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), AppError> {
        let path = StorePath::from(key);
        refuse_existing(self.store.as_ref(), &path).await?;
        // Create-only where the store enforces it (the local one; S3 with `If-None-Match`).
        let create = PutOptions { mode: PutMode::Create, ..Default::default() };
        self.store
            .put_opts(&path, PutPayload::from(bytes), create)
            .await
            .map_err(|e| AppError::internal("blob put", e))?;
        if let Some(root) = &self.local_dir {
            let (root, file) = (root.clone(), root.join(path.as_ref()));
            tokio::task::spawn_blocking(move || sync_to_disk(&root, &file))
                .await
                .map_err(|e| AppError::internal("blob sync", e))?
                .map_err(|e| AppError::internal("blob sync", e))?;
        }
        Ok(())
    }

    async fn writer(&self, key: &str) -> Result<Box<dyn app::ports::BlobWriter>, AppError> {
        // Keys are single path segments (the evidence ids): the committed file's name.
        if key.is_empty() || !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
            return Err(AppError::internal("blob key", key));
        }
        let path = self.spool.join(format!("{key}.{}", hex::encode(rand::random::<[u8; 8]>())));
        // Read back when it goes into a bucket.
        let file = tokio::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)
            .await
            .map_err(io("blob spool"))?;
        Ok(Box::new(SpoolWriter {
            file: Some(file),
            path,
            key: key.to_owned(),
            store: self.store.clone(),
            local_dir: self.local_dir.clone(),
        }))
    }

    async fn delete(&self, key: &str) -> Result<(), AppError> {
        match self.store.delete(&StorePath::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(AppError::internal("blob delete", e)),
        }
    }

    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, AppError> {
        let path = StorePath::from(key);
        match self.store.get(&path).await {
            Ok(r) => Ok(Some(r.bytes().await.map_err(|e| AppError::internal("blob read", e))?.to_vec())),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(AppError::internal("blob get", e)),
        }
    }
}
