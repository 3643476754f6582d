//! Configuration from the environment and the command line.

use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Config {
    /// `PORTAL_ADDR`, default `127.0.0.1:3000`.
    pub addr: SocketAddr,
    /// `PORTAL_DATA_DIR`, default `./data`: the SQLite file and (later) uploaded evidence.
    pub data_dir: PathBuf,
    /// `DATABASE_URL`; default `sqlite://<data dir>/portal.db`.
    pub database_url: String,
    /// `DATABASE_READ_URL` (PostgreSQL only, with a PostgreSQL `DATABASE_URL`): a streaming
    /// hot standby for the reads that tolerate a little lag, and `PORTAL_READ_MAX_LAG_MS`
    /// (default 2000): beyond that lag, or while it does not answer, they read the primary.
    pub read_replica: Option<(String, std::time::Duration)>,
    /// `--demo` or `PORTAL_DEMO=1`: load the synthetic demonstration data set if the database is empty.
    pub demo: bool,
    /// `PORTAL_DEMO_ITEMS`: how many synthetic items `--demo` loads (default: a year at Qinghai's
    /// scale, 163,000).
    pub demo_items: usize,
    /// `PORTAL_LOG_FORMAT=json` for JSON logs (default: human-readable).
    pub json_logs: bool,
    /// `PORTAL_CLIENT_IP_HEADER` (e.g. `x-real-ip`): behind a reverse proxy, the header that
    /// carries the client's address, for the look-up throttle. Unset: the connection's address.
    pub client_ip_header: Option<String>,
    /// `PORTAL_EVIDENCE_URL` (e.g. `s3://bucket/prefix`): keep evidence files in S3-compatible
    /// object storage, shared by every server of a cluster. Unset: `<data dir>/evidence` on disk.
    pub evidence_url: Option<String>,
    /// `PORTAL_MAX_IN_FLIGHT`: requests served at once before the rest are answered 503 with
    /// `Retry-After` (default 512; `/healthz` is never refused).
    pub max_in_flight: usize,
    /// `PORTAL_FILINGS_PER_ADDRESS` and `PORTAL_FILINGS_PER_PHONE`: filings per hour from one
    /// client address and naming one phone number (defaults 30 and 10).
    pub budgets: app::service::budget::Budgets,
    /// `PORTAL_PUBLIC_URL` (e.g. `https://12315.example.cn`): with `https://`, cookies are
    /// `__Host-` prefixed and Secure, and responses carry HSTS.
    pub public_url: Option<String>,
    /// `PORTAL_METRICS_ADDR`, default `127.0.0.1:9464`: where `/metrics` is served (never on the
    /// public address).
    pub metrics_addr: SocketAddr,
    /// `PORTAL_TOTP_ROLES`: the staff roles that must sign in with a second factor (role codes
    /// separated by commas; empty for none). Default `supervisor,admin`.
    pub second_factor: app::service::second_factor::SecondFactorRoles,
    /// `PORTAL_SMS_URL`, `PORTAL_SMS_KEY`, `PORTAL_SMS_SIGNATURE`, `PORTAL_SMS_TEMPLATES`: the
    /// text-message gateway. Unset: messages wait in the outbox.
    pub sms: Option<SmsConfig>,
    /// `PORTAL_SMTP_URL` and `PORTAL_MAIL_FROM`: the mail server for e-mail to consumers.
    /// Unset: e-mails wait in the outbox.
    pub smtp: Option<(String, String)>,
    /// `PORTAL_ODR_SWEEP_SECS`, default 60: how often each server sweeps the ODR lane (the
    /// pass-on at the period's end, the business's reminder).
    pub odr_sweep: std::time::Duration,
    /// `PORTAL_DISCLOSURE_SETTLE_SECS`, default 30: how long after its last change a closed
    /// complaint is disclosed (each server's sweep runs with the ODR lane's), so that a step
    /// still being written when the sweep reads is not passed over.
    pub disclosure_settle: std::time::Duration,
}

/// The text-message gateway's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmsConfig {
    pub url: String,
    pub key: String,
    pub signature: String,
    pub templates: Vec<(app::domain::notify::NoticeKind, String)>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("PORTAL_ODR_SWEEP_SECS is not a positive number of seconds: {0}")]
    OdrSweep(String),
    #[error("PORTAL_DISCLOSURE_SETTLE_SECS is not a number of seconds: {0}")]
    DisclosureSettle(String),
    #[error("PORTAL_ADDR is not an address:port: {0}")]
    Addr(String),
    #[error("unknown argument {0} (use --demo)")]
    Arg(String),
    #[error("PORTAL_DEMO_ITEMS is not a number of items: {0}")]
    DemoItems(String),
    #[error("PORTAL_MAX_IN_FLIGHT is not a positive number of requests: {0}")]
    MaxInFlight(String),
    #[error("PORTAL_METRICS_ADDR is not an address:port: {0}")]
    MetricsAddr(String),
    #[error("PORTAL_PUBLIC_URL must start with https:// or http://: {0}")]
    PublicUrl(String),
    #[error("{0} is not a positive number of filings per hour: {1}")]
    Budget(&'static str, String),
    #[error("{0}")]
    SecondFactorRoles(String),
    #[error("PORTAL_SMS_URL needs PORTAL_SMS_KEY and PORTAL_SMS_SIGNATURE, and an http(s) URL: {0}")]
    Sms(String),
    #[error("PORTAL_SMS_TEMPLATES: {0}")]
    SmsTemplates(String),
    #[error("DATABASE_READ_URL must be a postgres:// URL beside a postgres:// DATABASE_URL, and PORTAL_READ_MAX_LAG_MS a number of milliseconds: {0}")]
    ReadUrl(String),
    #[error("PORTAL_SMTP_URL must be smtp://… or smtps://…, with PORTAL_MAIL_FROM: {0}")]
    Smtp(String),
}

impl Config {
    pub fn from_env_and_args(
        env: impl Fn(&str) -> Option<String>,
        args: impl IntoIterator<Item = String>,
    ) -> Result<Self, ConfigError> {
        let mut demo = matches!(env("PORTAL_DEMO").as_deref(), Some("1" | "true" | "yes"));
        for a in args {
            match a.as_str() {
                "--demo" => demo = true,
                other => return Err(ConfigError::Arg(other.to_owned())),
            }
        }
        let addr_s = env("PORTAL_ADDR").unwrap_or_else(|| "127.0.0.1:3000".into());
        let addr = addr_s.parse().map_err(|_| ConfigError::Addr(addr_s))?;
        let data_dir = PathBuf::from(env("PORTAL_DATA_DIR").unwrap_or_else(|| "data".into()));
        let database_url = env("DATABASE_URL")
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| format!("sqlite://{}/portal.db", data_dir.display()));
        let is_pg = |u: &str| u.starts_with("postgres:") || u.starts_with("postgresql:");
        let read_replica = match env("DATABASE_READ_URL").filter(|s| !s.is_empty()) {
            None => None,
            Some(url) => {
                let lag = env("PORTAL_READ_MAX_LAG_MS").filter(|s| !s.is_empty()).unwrap_or_else(|| "2000".into());
                match lag.parse::<u64>() {
                    Ok(ms) if is_pg(&url) && is_pg(&database_url) => Some((url, std::time::Duration::from_millis(ms))),
                    _ => return Err(ConfigError::ReadUrl(format!("{url} (lag bound {lag})"))),
                }
            }
        };
        let json_logs = env("PORTAL_LOG_FORMAT").as_deref() == Some("json");
        let client_ip_header = env("PORTAL_CLIENT_IP_HEADER").filter(|s| !s.is_empty());
        let demo_items = match env("PORTAL_DEMO_ITEMS").filter(|s| !s.is_empty()) {
            Some(n) => n.parse().map_err(|_| ConfigError::DemoItems(n))?,
            None => crate::demo::YEAR_ITEMS,
        };
        let evidence_url = env("PORTAL_EVIDENCE_URL").filter(|s| !s.is_empty());
        let max_in_flight = match env("PORTAL_MAX_IN_FLIGHT").filter(|s| !s.is_empty()) {
            Some(n) => n.parse().ok().filter(|&n: &usize| n > 0).ok_or(ConfigError::MaxInFlight(n))?,
            None => crate::limits::DEFAULT_IN_FLIGHT,
        };
        let per_hour = |name: &'static str, default: u32| match env(name).filter(|s| !s.is_empty()) {
            Some(n) => n.parse().ok().filter(|&n: &u32| n > 0).ok_or(ConfigError::Budget(name, n)),
            None => Ok(default),
        };
        let defaults = app::service::budget::Budgets::default();
        let budgets = app::service::budget::Budgets {
            filings_per_address: per_hour("PORTAL_FILINGS_PER_ADDRESS", defaults.filings_per_address)?,
            filings_per_phone: per_hour("PORTAL_FILINGS_PER_PHONE", defaults.filings_per_phone)?,
            uploads_per_address: per_hour("PORTAL_UPLOADS_PER_ADDRESS", defaults.uploads_per_address)?,
            codes_per_phone: per_hour("PORTAL_CODES_PER_PHONE", defaults.codes_per_phone)?,
            codes_per_address: per_hour("PORTAL_CODES_PER_ADDRESS", defaults.codes_per_address)?,
            codes_per_hour: per_hour("PORTAL_CODES_PER_HOUR", defaults.codes_per_hour)?,
            api_per_minute: per_hour("PORTAL_API_PER_MINUTE", defaults.api_per_minute)?,
            pending_upload_bytes: i64::from(per_hour(
                "PORTAL_PENDING_UPLOAD_MB",
                (defaults.pending_upload_bytes >> 20) as u32,
            )?) << 20,
            ..defaults
        };
        let second_factor = match env("PORTAL_TOTP_ROLES") {
            Some(v) => {
                app::service::second_factor::SecondFactorRoles::parse(&v).map_err(ConfigError::SecondFactorRoles)?
            }
            None => Default::default(),
        };
        let public_url = env("PORTAL_PUBLIC_URL").filter(|s| !s.is_empty());
        if let Some(u) = &public_url {
            let lower = u.to_ascii_lowercase();
            if !(lower.starts_with("https://") || lower.starts_with("http://")) {
                return Err(ConfigError::PublicUrl(u.clone()));
            }
        }
        let sms = match env("PORTAL_SMS_URL").filter(|s| !s.is_empty()) {
            None => None,
            Some(url) => {
                let (key, signature) =
                    (env("PORTAL_SMS_KEY").unwrap_or_default(), env("PORTAL_SMS_SIGNATURE").unwrap_or_default());
                if key.is_empty()
                    || signature.is_empty()
                    || !(url.starts_with("https://") || url.starts_with("http://"))
                {
                    return Err(ConfigError::Sms(url));
                }
                let templates =
                    crate::notify::SmsGateway::parse_templates(&env("PORTAL_SMS_TEMPLATES").unwrap_or_default())
                        .map_err(ConfigError::SmsTemplates)?;
                Some(SmsConfig { url, key, signature, templates })
            }
        };
        let smtp = match env("PORTAL_SMTP_URL").filter(|s| !s.is_empty()) {
            None => None,
            Some(url) => {
                let from = env("PORTAL_MAIL_FROM").unwrap_or_default();
                if from.is_empty() || !(url.starts_with("smtp://") || url.starts_with("smtps://")) {
                    return Err(ConfigError::Smtp(url));
                }
                Some((url, from))
            }
        };
        let metrics_s = env("PORTAL_METRICS_ADDR").filter(|s| !s.is_empty()).unwrap_or_else(|| "127.0.0.1:9464".into());
        let metrics_addr = metrics_s.parse().map_err(|_| ConfigError::MetricsAddr(metrics_s))?;
        let odr_sweep = match env("PORTAL_ODR_SWEEP_SECS").filter(|s| !s.is_empty()) {
            None => std::time::Duration::from_secs(60),
            Some(s) => match s.parse::<u64>() {
                Ok(n) if n > 0 => std::time::Duration::from_secs(n),
                _ => return Err(ConfigError::OdrSweep(s)),
            },
        };
        let disclosure_settle = match env("PORTAL_DISCLOSURE_SETTLE_SECS").filter(|s| !s.is_empty()) {
            None => std::time::Duration::from_secs(30),
            Some(s) => match s.parse::<u64>() {
                Ok(n) => std::time::Duration::from_secs(n),
                Err(_) => return Err(ConfigError::DisclosureSettle(s)),
            },
        };
        Ok(Self {
            addr,
            data_dir,
            database_url,
            read_replica,
            demo,
            demo_items,
            json_logs,
            client_ip_header,
            evidence_url,
            max_in_flight,
            budgets,
            public_url,
            metrics_addr,
            second_factor,
            sms,
            smtp,
            odr_sweep,
            disclosure_settle,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn cfg(vars: &[(&str, &str)], args: &[&str]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_env_and_args(|k| map.get(k).cloned(), args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn defaults_to_sqlite_in_the_data_dir() {
        let c = cfg(&[], &[]).unwrap();
        assert_eq!(c.addr.to_string(), "127.0.0.1:3000");
        assert_eq!(c.database_url, "sqlite://data/portal.db");
        assert!(!c.demo);
        assert_eq!(c.evidence_url, None);
        assert_eq!(cfg(&[("PORTAL_EVIDENCE_URL", "s3://b/p")], &[]).unwrap().evidence_url.as_deref(), Some("s3://b/p"));
    }

    #[test]
    fn reads_overrides_and_the_demo_switch() {
        let c = cfg(&[("PORTAL_DATA_DIR", "/tmp/x"), ("PORTAL_ADDR", "0.0.0.0:8080")], &["--demo"]).unwrap();
        assert_eq!(c.database_url, "sqlite:///tmp/x/portal.db");
        assert_eq!(c.addr.port(), 8080);
        assert!(c.demo);
        assert!(cfg(&[("PORTAL_DEMO", "1")], &[]).unwrap().demo);
        let pg = cfg(&[("DATABASE_URL", "postgres://u@h/db")], &[]).unwrap();
        assert_eq!(pg.database_url, "postgres://u@h/db");
    }

    #[test]
    fn refuses_bad_input() {
        assert!(matches!(cfg(&[("PORTAL_ADDR", "nowhere")], &[]), Err(ConfigError::Addr(_))));
        assert!(matches!(cfg(&[], &["--dmeo"]), Err(ConfigError::Arg(_))));
        assert!(matches!(cfg(&[("PORTAL_MAX_IN_FLIGHT", "0")], &[]), Err(ConfigError::MaxInFlight(_))));
        assert!(matches!(cfg(&[("PORTAL_MAX_IN_FLIGHT", "many")], &[]), Err(ConfigError::MaxInFlight(_))));
        assert_eq!(cfg(&[("PORTAL_MAX_IN_FLIGHT", "64")], &[]).unwrap().max_in_flight, 64);
        assert_eq!(cfg(&[], &[]).unwrap().max_in_flight, crate::limits::DEFAULT_IN_FLIGHT);
        assert!(matches!(cfg(&[("PORTAL_FILINGS_PER_PHONE", "-1")], &[]), Err(ConfigError::Budget(..))));
        let b = cfg(&[("PORTAL_FILINGS_PER_ADDRESS", "100"), ("PORTAL_FILINGS_PER_PHONE", "3")], &[]).unwrap().budgets;
        assert_eq!((b.filings_per_address, b.filings_per_phone), (100, 3));
        let b = cfg(&[("PORTAL_CODES_PER_PHONE", "2"), ("PORTAL_CODES_PER_HOUR", "50")], &[]).unwrap().budgets;
        assert_eq!((b.codes_per_phone, b.codes_per_address, b.codes_per_hour), (2, 10, 50));
        let b = cfg(&[("PORTAL_UPLOADS_PER_ADDRESS", "7"), ("PORTAL_PENDING_UPLOAD_MB", "10")], &[]).unwrap().budgets;
        assert_eq!((b.uploads_per_address, b.pending_upload_bytes), (7, 10 << 20));
        assert_eq!(cfg(&[], &[]).unwrap().budgets.pending_upload_bytes, 2 << 30);
        use app::domain::workflow::Role;
        assert!(cfg(&[], &[]).unwrap().second_factor.requires(Role::Admin));
        assert!(!cfg(&[("PORTAL_TOTP_ROLES", "")], &[]).unwrap().second_factor.requires(Role::Admin));
        assert!(cfg(&[("PORTAL_TOTP_ROLES", "handler")], &[]).unwrap().second_factor.requires(Role::Handler));
        assert!(matches!(cfg(&[("PORTAL_TOTP_ROLES", "root")], &[]), Err(ConfigError::SecondFactorRoles(..))));
        assert_eq!(cfg(&[], &[]).unwrap().sms, None);
        let sms = [
            ("PORTAL_SMS_URL", "https://sms.example.cn/send"),
            ("PORTAL_SMS_KEY", "k"),
            ("PORTAL_SMS_SIGNATURE", "青海12315"),
        ];
        assert!(matches!(cfg(&sms[..1], &[]), Err(ConfigError::Sms(..))), "no key");
        let with = |t: &'static str| cfg(&[sms[0], sms[1], sms[2], ("PORTAL_SMS_TEMPLATES", t)], &[]);
        assert_eq!(with("receipt=SMS_1, closed=SMS_9").unwrap().sms.unwrap().templates.len(), 2);
        assert!(matches!(with("nothing=SMS_1"), Err(ConfigError::SmsTemplates(..))));
        assert!(matches!(cfg(&[("PORTAL_PUBLIC_URL", "12315.example.cn")], &[]), Err(ConfigError::PublicUrl(_))));
        assert!(matches!(cfg(&[("PORTAL_METRICS_ADDR", "anywhere")], &[]), Err(ConfigError::MetricsAddr(_))));
        assert_eq!(cfg(&[], &[]).unwrap().metrics_addr.to_string(), "127.0.0.1:9464");
        assert_eq!(cfg(&[], &[]).unwrap().odr_sweep.as_secs(), 60);
        assert_eq!(cfg(&[("PORTAL_ODR_SWEEP_SECS", "2")], &[]).unwrap().odr_sweep.as_secs(), 2);
        assert_eq!(cfg(&[], &[]).unwrap().disclosure_settle.as_secs(), 30);
        assert_eq!(cfg(&[("PORTAL_DISCLOSURE_SETTLE_SECS", "1")], &[]).unwrap().disclosure_settle.as_secs(), 1);
        assert!(cfg(&[("PORTAL_DISCLOSURE_SETTLE_SECS", "soon")], &[]).is_err());
        assert!(matches!(cfg(&[("PORTAL_ODR_SWEEP_SECS", "0")], &[]), Err(ConfigError::OdrSweep(_))));
    }

    #[test]
    fn a_read_replica_needs_postgresql_on_both_sides() {
        let pg = ("DATABASE_URL", "postgres://p@db1/portal");
        let replica = ("DATABASE_READ_URL", "postgres://p@db2/portal");
        assert_eq!(cfg(&[pg], &[]).unwrap().read_replica, None);
        let (url, lag) = cfg(&[pg, replica], &[]).unwrap().read_replica.unwrap();
        assert_eq!((url.as_str(), lag.as_millis()), ("postgres://p@db2/portal", 2000));
        let lag = cfg(&[pg, replica, ("PORTAL_READ_MAX_LAG_MS", "500")], &[]).unwrap().read_replica.unwrap().1;
        assert_eq!(lag.as_millis(), 500);
        assert!(matches!(cfg(&[replica], &[]), Err(ConfigError::ReadUrl(_))), "beside SQLite");
        assert!(matches!(cfg(&[pg, ("DATABASE_READ_URL", "sqlite://x.db")], &[]), Err(ConfigError::ReadUrl(_))));
        assert!(matches!(cfg(&[pg, replica, ("PORTAL_READ_MAX_LAG_MS", "soon")], &[]), Err(ConfigError::ReadUrl(_))));
    }
}
