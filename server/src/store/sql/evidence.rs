//! The SQL of the records of evidence files (the files themselves are in the blob store), written once for both backends.

pub const ADD_EVIDENCE: &str =
    "INSERT INTO evidence (id, case_no, kind, size, sha256, uploaded_at) VALUES ($1, NULL, $2, $3, $4, $5)";

pub const ATTACH_EVIDENCE: &str = "UPDATE evidence SET case_no = $1 WHERE id = $2 AND case_no IS NULL";

pub const EVIDENCE_OF: &str =
    "SELECT id, kind, size, sha256, uploaded_at FROM evidence WHERE case_no = $1 ORDER BY uploaded_at, id";

pub const EVIDENCE_GET: &str = "SELECT id, case_no, kind, size, sha256, uploaded_at FROM evidence WHERE id = $1";

pub const PENDING_BYTES: &str = "SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM evidence WHERE case_no IS NULL";
pub const PURGE_PENDING: &str = "DELETE FROM evidence WHERE case_no IS NULL AND uploaded_at < $1 RETURNING id";

/// Implements [`app::ports::EvidenceStore`] for `$store` (a struct with a `pool: sqlx::Pool<$db>`).
macro_rules! evidence_store {
    ($store:ty, $db:ty) => {
        #[async_trait::async_trait]
        impl app::ports::EvidenceStore for $store {
            async fn add_evidence(&self, r: &app::ports::EvidenceRecord) -> Result<(), app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::evidence::*;
                sqlx::query(ADD_EVIDENCE)
                    .bind(&r.id)
                    .bind(r.kind.code())
                    .bind(r.size)
                    .bind(&r.sha256)
                    .bind(r.uploaded_at)
                    .execute(&self.pool)
                    .await
                    .map_err(db_err)?;
                Ok(())
            }

            async fn attach_evidence(
                &self,
                no: &app::domain::case::CaseNo,
                ids: &[String],
            ) -> Result<usize, app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::evidence::*;
                let mut tx = self.pool.begin().await.map_err(db_err)?;
                let mut n = 0;
                for id in ids {
                    let r = sqlx::query(ATTACH_EVIDENCE)
                        .bind(no.as_str())
                        .bind(id)
                        .execute(&mut *tx)
                        .await
                        .map_err(db_err)?;
                    n += r.rows_affected() as usize;
                }
                tx.commit().await.map_err(db_err)?;
                Ok(n)
            }

            async fn purge_pending_evidence(&self, before: i64) -> Result<Vec<String>, app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::evidence::*;
                use sqlx::Row;
                let rows = sqlx::query(PURGE_PENDING).bind(before).fetch_all(&self.pool).await.map_err(db_err)?;
                rows.into_iter().map(|r| r.try_get::<String, _>(0).map_err(db_err)).collect()
            }

            async fn pending_evidence_bytes(&self) -> Result<i64, app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::evidence::*;
                sqlx::query_scalar(PENDING_BYTES).fetch_one(&self.pool).await.map_err(db_err)
            }

            async fn evidence_get(
                &self,
                id: &str,
            ) -> Result<Option<(Option<app::domain::case::CaseNo>, app::ports::EvidenceRecord)>, app::error::AppError>
            {
                use crate::store::sql::common::*;
                use crate::store::sql::evidence::*;
                use crate::store::sql::rows::EvidenceRow;
                use sqlx::{FromRow, Row};
                let Some(r) = sqlx::query(EVIDENCE_GET).bind(id).fetch_optional(&self.pool).await.map_err(db_err)?
                else {
                    return Ok(None);
                };
                let case_no: Option<String> = r.try_get("case_no").map_err(db_err)?;
                let record = EvidenceRow::from_row(&r).map_err(db_err)?.into_record()?;
                let case_no = case_no
                    .map(|n| code("case number", &n, |s| app::domain::case::CaseNo::parse(s).ok()))
                    .transpose()?;
                Ok(Some((case_no, record)))
            }

            async fn evidence_of(
                &self,
                no: &app::domain::case::CaseNo,
            ) -> Result<Vec<app::ports::EvidenceRecord>, app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::evidence::*;
                use crate::store::sql::rows::EvidenceRow;
                use sqlx::FromRow;
                let rows = sqlx::query(EVIDENCE_OF).bind(no.as_str()).fetch_all(&self.pool).await.map_err(db_err)?;
                rows.iter().map(|r| EvidenceRow::from_row(r).map_err(db_err)?.into_record()).collect()
            }
        }
    };
}

pub(crate) use evidence_store;
