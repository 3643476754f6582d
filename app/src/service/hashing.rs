//! Staff password hashes (Argon2id) and the slots they are computed in.

use crate::error::AppError;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::encode_b64(&rand::random::<[u8; 16]>()).map_err(|e| AppError::internal("salt", e))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::internal("argon2", e))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// Where password hashes are computed: on tokio's blocking threads, never on the workers that
/// serve requests, and at most as many at once as the machine has cores. A sign-in that finds
/// every slot taken is answered at once with [`AppError::Busy`] (503) instead of queueing, so a
/// flood of sign-ins cannot hold up the rest of the portal.
#[derive(Clone)]
pub struct HashGate(std::sync::Arc<tokio::sync::Semaphore>);

impl Default for HashGate {
    fn default() -> Self {
        Self::with_slots(std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2))
    }
}

impl HashGate {
    pub fn with_slots(n: usize) -> Self {
        Self(std::sync::Arc::new(tokio::sync::Semaphore::new(n)))
    }

    /// Whether `password` matches `hash`; [`AppError::Busy`] when no slot is free.
    pub async fn verify(&self, password: String, hash: String) -> Result<bool, AppError> {
        let slot = self.0.clone().try_acquire_owned().map_err(|_| AppError::Busy)?;
        tokio::task::spawn_blocking(move || {
            let _slot = slot;
            verify_password(&password, &hash)
        })
        .await
        .map_err(|e| AppError::internal("password check", e))
    }

    /// The hash of a new password, waiting for a slot (an administrator's command, not a
    /// stranger's request).
    pub async fn hash(&self, password: String) -> Result<String, AppError> {
        let slot = self.0.clone().acquire_owned().await.map_err(|e| AppError::internal("password hash", e))?;
        tokio::task::spawn_blocking(move || {
            let _slot = slot;
            hash_password(&password)
        })
        .await
        .map_err(|e| AppError::internal("password hash", e))?
    }
}
