//! The server secret (query codes of online filings are derived from it): `PORTAL_SECRET`
//! (64 hex digits) if set, otherwise generated once and kept in the database, so that every app
//! server sharing the database uses the same one.

use app::error::AppError;
use app::ports::MetaStore;
use app::service::codes::Secret;

fn decode(hex_text: &str) -> Option<Secret> {
    let bytes = hex::decode(hex_text.trim()).ok()?;
    Some(Secret(bytes.try_into().ok()?))
}

pub async fn load(store: &dyn MetaStore) -> Result<Secret, AppError> {
    if let Ok(v) = std::env::var("PORTAL_SECRET") {
        return decode(&v).ok_or_else(|| AppError::internal("PORTAL_SECRET", "must be 64 hexadecimal digits"));
    }
    let fresh: [u8; 32] = rand::random();
    let stored = store.meta_init("secret", &hex::encode(fresh)).await?;
    decode(&stored).ok_or_else(|| AppError::internal("secret", "stored secret is malformed"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn decodes_only_32_bytes_of_hex() {
        assert!(super::decode(&"ab".repeat(32)).is_some());
        assert!(super::decode(&"ab".repeat(31)).is_none());
        assert!(super::decode("zz").is_none());
    }
}
