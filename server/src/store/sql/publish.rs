//! The SQL of typical cases for publication and their keyword counts, written once for both backends.

pub const PUBLISH_CANDIDATES: &str =
    "SELECT c.case_no FROM cases c WHERE c.consent_publish = $1 AND c.state = 'closed' \
     AND NOT EXISTS (SELECT 1 FROM published_cases p WHERE p.case_no = c.case_no) ORDER BY c.updated_at DESC LIMIT $2";

pub const REVIEW_PUBLISHED: &str =
    "INSERT INTO published_cases (case_no, kind, category, prefecture, closed_on, facts, \
     result, status, reviewed_by, reviewed_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
     ON CONFLICT (case_no) DO NOTHING RETURNING case_no";

pub const KEYWORD_ADD: &str =
    "INSERT INTO keyword_counts (word, n) VALUES ($1, $2) ON CONFLICT (word) DO UPDATE SET n = keyword_counts.n + excluded.n";

pub const KEYWORDS: &str = "SELECT word, n FROM keyword_counts ORDER BY n DESC, word LIMIT $1";

/// The typical cases, narrowed by fixed fragments only (every value bound).
pub fn published_sql(f: &app::ports::PublishedFilter, limit: i64) -> (String, Vec<String>, i64) {
    let mut sql = String::from(
        "SELECT case_no, kind, category, prefecture, closed_on, facts, result FROM published_cases WHERE status = 'approved'",
    );
    let mut args = Vec::new();
    if let Some(c) = &f.category {
        args.push(c.clone());
        sql.push_str(&format!(" AND category = ${}", args.len()));
    }
    if let Some(p) = &f.prefecture {
        args.push(p.clone());
        sql.push_str(&format!(" AND prefecture = ${}", args.len()));
    }
    if let Some((d, no)) = &f.before {
        args.push(d.clone());
        let a = args.len();
        args.push(d.clone());
        let b = args.len();
        args.push(no.clone());
        sql.push_str(&format!(" AND (closed_on < ${a} OR (closed_on = ${b} AND case_no < ${}))", args.len()));
    }
    sql.push_str(&format!(" ORDER BY closed_on DESC, case_no DESC LIMIT ${}", args.len() + 1));
    (sql, args, limit)
}

/// Implements [`app::ports::PublishStore`] for `$store` (a struct with a `pool: sqlx::Pool<$db>`).
macro_rules! publish_store {
    ($store:ty, $db:ty) => {
        #[async_trait::async_trait]
        impl app::ports::PublishStore for $store {
            async fn publish_candidates(
                &self,
                limit: i64,
            ) -> Result<Vec<app::domain::case::CaseNo>, app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::publish::*;
                use sqlx::Row;
                let rows = sqlx::query(PUBLISH_CANDIDATES)
                    .bind(true)
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db_err)?;
                rows.into_iter()
                    .map(|r| {
                        let no: String = r.try_get("case_no").map_err(db_err)?;
                        code("case number", &no, |s| app::domain::case::CaseNo::parse(s).ok())
                    })
                    .collect()
            }

            async fn review_published(
                &self,
                case: &app::ports::PublishedCase,
                approved: bool,
                by: &str,
                at: i64,
                words: &[String],
            ) -> Result<bool, app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::publish::*;
                let mut tx = self.pool.begin().await.map_err(db_err)?;
                let stored = sqlx::query(REVIEW_PUBLISHED)
                    .bind(case.case_no.as_str())
                    .bind(case.kind.code())
                    .bind(&case.category)
                    .bind(&case.prefecture)
                    .bind(app::domain::calendar::format_date(case.closed_on))
                    .bind(&case.facts)
                    .bind(&case.result)
                    .bind(if approved { "approved" } else { "rejected" })
                    .bind(by)
                    .bind(at)
                    .bind(at)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(db_err)?;
                if stored.is_none() {
                    tx.rollback().await.map_err(db_err)?;
                    return Ok(false);
                }
                if approved {
                    let mut counts: std::collections::BTreeMap<&str, i64> = Default::default();
                    for w in words {
                        *counts.entry(w.as_str()).or_default() += 1;
                    }
                    for (w, n) in counts {
                        sqlx::query(KEYWORD_ADD).bind(w).bind(n).execute(&mut *tx).await.map_err(db_err)?;
                    }
                }
                tx.commit().await.map_err(db_err)?;
                Ok(true)
            }

            async fn published(
                &self,
                filter: &app::ports::PublishedFilter,
                limit: i64,
            ) -> Result<Vec<app::ports::PublishedCase>, app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::publish::*;
                use sqlx::Row;
                let (sql, args, limit) = published_sql(filter, limit);
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                for a in args {
                    q = q.bind(a);
                }
                let rows = q.bind(limit).fetch_all(&self.pool).await.map_err(db_err)?;
                rows.into_iter()
                    .map(|r| {
                        let no: String = r.try_get("case_no").map_err(db_err)?;
                        let kind: String = r.try_get("kind").map_err(db_err)?;
                        let closed: String = r.try_get("closed_on").map_err(db_err)?;
                        Ok(app::ports::PublishedCase {
                            case_no: code("case number", &no, |s| app::domain::case::CaseNo::parse(s).ok())?,
                            kind: code("kind", &kind, app::domain::kind::ItemKind::from_code)?,
                            category: r.try_get("category").map_err(db_err)?,
                            prefecture: r.try_get("prefecture").map_err(db_err)?,
                            closed_on: date(&closed)?,
                            facts: r.try_get("facts").map_err(db_err)?,
                            result: r.try_get("result").map_err(db_err)?,
                        })
                    })
                    .collect()
            }

            async fn keywords(&self, limit: i64) -> Result<Vec<(String, i64)>, app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::publish::*;
                use sqlx::Row;
                let rows = sqlx::query(KEYWORDS).bind(limit).fetch_all(&self.pool).await.map_err(db_err)?;
                rows.into_iter()
                    .map(|r| Ok((r.try_get("word").map_err(db_err)?, r.try_get("n").map_err(db_err)?)))
                    .collect()
            }
        }
    };
}

pub(crate) use publish_store;
