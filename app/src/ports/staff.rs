//! The staff side of the storage port: accounts, sessions, the audit log and the second factor.

use crate::error::AppError;

/// A staff account as stored: who, their role and bureau, and the argon2 hash of the password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffAccount {
    pub staff: crate::domain::staff::Staff,
    /// PHC string (`$argon2id$…`); the password itself is never stored.
    pub password_hash: String,
    pub disabled: bool,
}

/// A signed-in session; its id is stored only as a hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub username: String,
    pub created: i64,
    pub last_seen: i64,
}

/// One entry of the append-only audit log (sign-ins, failures, views of personal data, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: i64,
    /// The staff member, if known.
    pub actor: Option<String>,
    /// What happened: `sign_in`, `sign_in_failed`, `sign_out`, `account_set`, …
    pub action: String,
    /// What it concerned (a user name, a case number).
    pub subject: Option<String>,
    pub client: Option<String>,
}

/// Staff accounts, sessions and the audit log.
#[async_trait::async_trait]
pub trait StaffStore: SecondFactorStore + Send + Sync + 'static {
    /// Stores a new account; false (and nothing changed) if the user name is taken.
    async fn staff_create(&self, account: &StaffAccount) -> Result<bool, AppError>;

    /// Creates the account or replaces its role, bureau and password (and enables it).
    async fn staff_set(&self, account: &StaffAccount) -> Result<(), AppError>;

    async fn staff_get(&self, username: &str) -> Result<Option<StaffAccount>, AppError>;

    async fn admin_exists(&self) -> Result<bool, AppError>;

    async fn session_create(&self, id_hash: &str, username: &str, now: i64) -> Result<(), AppError>;

    async fn session_get(&self, id_hash: &str) -> Result<Option<SessionRecord>, AppError>;

    async fn session_touch(&self, id_hash: &str, now: i64) -> Result<(), AppError>;

    async fn session_delete(&self, id_hash: &str) -> Result<(), AppError>;

    /// Ends every session of `username` (its account was disabled or reset).
    async fn sessions_end(&self, username: &str) -> Result<(), AppError>;

    async fn audit(&self, entry: &AuditEntry) -> Result<(), AppError>;

    /// The newest entries first.
    async fn audit_recent(&self, limit: i64) -> Result<Vec<AuditEntry>, AppError> {
        Ok(self.audit_page(None, limit).await?.0.into_iter().map(|(_, e)| e).collect())
    }

    /// A page of the log, newest first, of entries with an id below `before` (keyset pages), with
    /// their ids; and the `before` of the next page, if there is one.
    async fn audit_page(
        &self,
        before: Option<i64>,
        limit: i64,
    ) -> Result<(Vec<(i64, AuditEntry)>, Option<i64>), AppError>;
}

/// A sign-in whose password was right, awaiting its second factor; its id is stored only as a
/// hash. `pending_secret` is the TOTP secret offered to an account that enrols now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChallengeRecord {
    pub username: String,
    pub created: i64,
    pub pending_secret: Option<String>,
}

/// Staff members' second factor: the TOTP secret with the last time step used, the recovery
/// codes (hashes only), and the sign-ins awaiting a code.
#[async_trait::async_trait]
pub trait SecondFactorStore: Send + Sync + 'static {
    /// The TOTP secret (base32) of `username`, if the account has enrolled.
    async fn totp_secret(&self, username: &str) -> Result<Option<String>, AppError>;

    /// Enrols `username`: the secret, `step` as the last step used, and these recovery codes in
    /// place of any before, in one transaction.
    async fn totp_enrol(&self, username: &str, secret: &str, step: i64, recovery: &[String]) -> Result<(), AppError>;

    /// Records `step` as used if it is later than the last step used, in one statement; false
    /// (nothing changed) if it is not: the code was used before.
    async fn totp_use_step(&self, username: &str, step: i64) -> Result<bool, AppError>;

    /// Uses up the recovery code of this hash; false if the account has no such code (left).
    async fn recovery_use(&self, username: &str, code_hash: &str) -> Result<bool, AppError>;

    async fn recovery_left(&self, username: &str) -> Result<i64, AppError>;

    /// Removes the second factor and the recovery codes of `username`; false if it had none.
    async fn totp_reset(&self, username: &str) -> Result<bool, AppError>;

    /// Stores a sign-in awaiting its second factor (and forgets those older than `before`).
    async fn challenge_create(&self, id_hash: &str, record: &ChallengeRecord, before: i64) -> Result<(), AppError>;

    async fn challenge_get(&self, id_hash: &str) -> Result<Option<ChallengeRecord>, AppError>;

    async fn challenge_delete(&self, id_hash: &str) -> Result<(), AppError>;
}
