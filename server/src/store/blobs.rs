//! The evidence blob store on the `object_store` crate: a local directory by default; the same
//! trait serves S3-compatible storage for a cluster.

use app::error::AppError;
use app::ports::BlobStore;
use object_store::path::Path as StorePath;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use std::sync::Arc;

pub struct ObjectBlobStore {
    store: Arc<dyn ObjectStore>,
}

impl ObjectBlobStore {
    /// Files under `dir` (created if missing).
    pub fn local(dir: &std::path::Path) -> std::io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let fs = object_store::local::LocalFileSystem::new_with_prefix(dir).map_err(std::io::Error::other)?;
        Ok(Self { store: Arc::new(fs) })
    }
}

#[async_trait::async_trait]
impl BlobStore for ObjectBlobStore {
    async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), AppError> {
        let path = StorePath::from(key);
        self.store.put(&path, PutPayload::from(bytes)).await.map_err(|e| AppError::internal("blob put", e))?;
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
