//! The evidence blob store on the `object_store` crate: a local directory by default; the same
//! trait serves S3-compatible storage for a cluster.

use app::error::AppError;
use app::ports::BlobStore;
use object_store::path::Path as StorePath;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use std::sync::Arc;

pub struct ObjectBlobStore {
    store: Arc<dyn ObjectStore>,
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
        Ok(Self { store: Arc::new(fs), local_dir: Some(dir) })
    }

    /// An S3-compatible bucket, from a URL `s3://bucket` or `s3://bucket/prefix` (objects go
    /// under the prefix). Credentials, region and endpoint come from the usual variables,
    /// read by `object_store`: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`,
    /// `AWS_ENDPOINT` (for a store other than Amazon's, e.g. `http://10.0.0.5:9000`) and
    /// `AWS_ALLOW_HTTP=true` for a plain-HTTP endpoint on a private network.
    pub fn s3(url: &str) -> Result<Self, BlobUrlError> {
        Self::s3_with(url, object_store::aws::AmazonS3Builder::from_env())
    }

    /// As [`ObjectBlobStore::s3`], with the settings given instead of read from the environment.
    pub fn s3_with(url: &str, builder: object_store::aws::AmazonS3Builder) -> Result<Self, BlobUrlError> {
        let (bucket, prefix) = parse_s3_url(url)?;
        let s3 = builder.with_bucket_name(bucket).build().map_err(|e| BlobUrlError::Store(e.to_string()))?;
        let store: Arc<dyn ObjectStore> =
            if prefix.is_empty() { Arc::new(s3) } else { Arc::new(object_store::prefix::PrefixStore::new(s3, prefix)) };
        Ok(Self { store, local_dir: None })
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
        self.store.put(&path, PutPayload::from(bytes)).await.map_err(|e| AppError::internal("blob put", e))?;
        if let Some(root) = &self.local_dir {
            let (root, file) = (root.clone(), root.join(path.as_ref()));
            tokio::task::spawn_blocking(move || sync_to_disk(&root, &file))
                .await
                .map_err(|e| AppError::internal("blob sync", e))?
                .map_err(|e| AppError::internal("blob sync", e))?;
        }
        Ok(())
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
