//! `server [--demo]`: serves the portal. Configuration: see `config.rs` and README.md.

use app::{Services, SiteConfig};
use server::config::Config;
use server::{demo, metrics_setup, store, web};
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if matches!(args.first().map(String::as_str), Some("case" | "staff" | "screen" | "business")) {
        return admin_command(&args).await;
    }
    if matches!(args.first().map(String::as_str), Some("backup" | "restore")) {
        return backup_command(&args).await;
    }
    let config = match Config::from_env_and_args(|k| std::env::var(k).ok(), args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    if config.json_logs {
        tracing_subscriber::fmt().json().with_env_filter(filter).init();
    } else {
        // Colours only on a terminal: a log file or a journal gets plain `key=value` text.
        use std::io::IsTerminal;
        let ansi = std::io::stdout().is_terminal();
        tracing_subscriber::fmt().with_ansi(ansi).with_env_filter(filter).init();
    }
    match run(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "portal stopped");
            ExitCode::FAILURE
        }
    }
}

/// The server's settings for a shell command, or its exit code when they are wrong.
fn command_config() -> Result<Config, ExitCode> {
    Config::from_env_and_args(|k| std::env::var(k).ok(), Vec::new()).map_err(|e| {
        eprintln!("{e}");
        ExitCode::from(2)
    })
}

/// A shell command's answer on stdout, or its error on stderr with `failure`.
fn report(result: Result<String, String>, failure: ExitCode) -> ExitCode {
    match result {
        Ok(out) => {
            println!("{out}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            failure
        }
    }
}

/// `server case …` and `server staff …`: see `cli.rs`. Uses the same database settings as the server.
async fn admin_command(args: &[String]) -> ExitCode {
    let config = match command_config() {
        Ok(c) => c,
        Err(code) => return code,
    };
    let store = match store::connect(&config.database_url).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("database: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = if args[0] == "case" {
        server::cli::run(store.as_ref(), &args[1..]).await
    } else if args[0] == "screen" {
        server::cli::screen(store.as_ref(), &args[1..]).await
    } else if args[0] == "business" {
        server::cli::business(store, &args[1..]).await
    } else {
        server::cli::staff(store, &args[1..], &mut std::io::stdin().lock()).await
    };
    report(result, ExitCode::from(2))
}

/// `server backup DIR` and `server restore DIR` (SQLite): see `backup.rs`.
async fn backup_command(args: &[String]) -> ExitCode {
    let config = match command_config() {
        Ok(c) => c,
        Err(code) => return code,
    };
    let [verb, dir] = args else {
        eprintln!("usage: server backup DIR | server restore DIR");
        return ExitCode::from(2);
    };
    let dir = std::path::Path::new(dir);
    let evidence = config.evidence_url.is_none().then(|| config.data_dir.join("evidence"));
    let result = if verb == "backup" {
        server::backup::backup(&config.database_url, evidence.as_deref(), dir).await
    } else {
        server::backup::restore(&config.database_url, &config.data_dir, evidence.as_deref(), dir).await
    };
    report(result, ExitCode::FAILURE)
}

async fn run(config: Config) -> Result<(), Box<dyn std::error::Error>> {
    // One server per SQLite data directory, and none while `server restore` replaces it.
    let _lock = if config.database_url.starts_with("sqlite:") {
        std::fs::create_dir_all(&config.data_dir)?;
        Some(server::backup::lock_data_dir(&config.data_dir)?)
    } else {
        None
    };
    let store = store::connect(&config.database_url).await?;
    let cases: std::sync::Arc<dyn app::ports::CaseStore> = store.clone();
    let backend = config.database_url.split(':').next().unwrap_or_default().to_owned();
    tracing::info!(backend, "database ready (migrations applied)");
    if config.demo {
        let started = std::time::Instant::now();
        let loaded = demo::load(cases.as_ref(), config.demo_items, time::OffsetDateTime::now_utc()).await?;
        tracing::info!(loaded, seconds = started.elapsed().as_secs_f64(), "synthetic demonstration data");
        if loaded > 0 {
            // Just computed with this build's calendar and rule sets.
            let fingerprint = app::service::queue::legal_data_fingerprint();
            cases.meta_set(app::service::queue::LEGAL_DATA_KEY, &fingerprint).await?;
        }
    }
    let is_demo = cases.meta_get(demo::DEMO_KEY).await?.as_deref() == Some(demo::DEMO_VALUE);
    let blobs = match config.evidence_url.as_deref() {
        Some(url) => store::blobs::ObjectBlobStore::s3(url, &config.data_dir.join("incoming"))?,
        None => store::blobs::ObjectBlobStore::local(&config.data_dir.join("evidence"))?,
    };
    blobs.check().await?;
    tracing::info!(store = if config.evidence_url.is_some() { "s3" } else { "local" }, "evidence store ready");
    let state = web::AppState {
        leptos_options: web::leptos_options(config.addr),
        services: Services {
            secret: server::secret::load(cases.as_ref()).await?,
            figures: Default::default(),
            hashing: Default::default(),
            budgets: config.budgets,
            second_factor: config.second_factor.clone(),
            channels: app::domain::notify::Channels { sms: config.sms.is_some(), email: config.smtp.is_some() },
            replica: match &config.read_replica {
                Some((url, max_lag)) => {
                    let watch: std::sync::Arc<dyn app::ports::Replica> =
                        server::replica::watch(&config.database_url, url, *max_lag)?;
                    Some(watch)
                }
                None => None,
            },
            blobs: std::sync::Arc::new(blobs),
            cases,
            staff: store.clone(),
        },
        site: SiteConfig { demo: is_demo },
        metrics: metrics_setup::handle(),
        client_ip_header: match config.client_ip_header.as_deref() {
            Some(h) => Some(axum::http::HeaderName::try_from(h).map_err(|_| format!("PORTAL_CLIENT_IP_HEADER: {h}"))?),
            None => None,
        },
        live: Default::default(),
        gate: server::limits::Gate::new(config.max_in_flight),
        deployment: server::deploy::Deployment::from_public_url(config.public_url.as_deref()),
    };
    // Stored deadlines follow the calendar and the rule sets shipped with this build.
    let refreshed = app::service::queue::refresh_deadlines(&state.services).await?;
    if refreshed > 0 {
        tracing::info!(refreshed, "deadlines recomputed for new legal data");
    }
    if let Some(password) = app::service::staff::ensure_admin(&state.services, time::OffsetDateTime::now_utc()).await? {
        // Shown once, on the console only (never in the log): change it with `server staff set`.
        println!("First start: created the staff account `admin` with the password {password}");
        println!("It is shown only now. Sign in at /staff/login; `server staff set admin admin` sets a new one.");
    }
    {
        // Abandoned drafts: uploaded evidence that no filing attached within a day is deleted.
        let services = state.services.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
            loop {
                tick.tick().await;
                let now = time::OffsetDateTime::now_utc();
                match app::service::evidence::purge_abandoned_evidence(&services, now).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(files = n, "abandoned evidence deleted"),
                    Err(e) => tracing::warn!(error = %e, "evidence purge failed"),
                }
                // Filing budgets whose hour ended long ago.
                let day_ago = app::domain::clock::unix_ms(now - time::Duration::days(1));
                if let Err(e) = services.cases.budget_purge(day_ago).await {
                    tracing::warn!(error = %e, "budget purge failed");
                }
                // One-time codes by text message that expired.
                if let Err(e) = services.cases.purge_phone_codes(app::domain::clock::unix_ms(now)).await {
                    tracing::warn!(error = %e, "one-time code purge failed");
                }
            }
        });
    }
    {
        // The ODR lane: complaints whose business's period ended pass on to the bureau. Every
        // server sweeps each minute (`PORTAL_ODR_SWEEP_SECS`); a case passes once (its step
        // names the version read).
        let services = state.services.clone();
        let every = config.odr_sweep;
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            loop {
                tick.tick().await;
                match app::service::odr::pass_on_due(&services, time::OffsetDateTime::now_utc()).await {
                    Ok(s) if s == app::service::odr::Swept::default() => {}
                    Ok(s) => tracing::info!(passed = s.passed, reminded = s.reminded, "ODR lane swept"),
                    Err(e) => tracing::warn!(error = %e, "ODR pass-on sweep failed"),
                }
            }
        });
    }
    {
        // Businesses' public records: closed complaints written as disclosed, by every server
        // each `PORTAL_ODR_SWEEP_SECS` (a write names the case's version: the same row once),
        // and the e-mail alerts of them. First, the rankings read once for the first visitors.
        let services = state.services.clone();
        let (every, settle) = (config.odr_sweep, config.disclosure_settle);
        tokio::spawn(async move {
            if let Err(e) = app::service::disclosure::warm(&services, time::OffsetDateTime::now_utc()).await {
                tracing::warn!(error = %e, "the businesses' rankings were not read at the start");
            }
            let mut tick = tokio::time::interval(every);
            loop {
                tick.tick().await;
                let now = time::OffsetDateTime::now_utc();
                match app::service::disclosure::sweep(services.cases.as_ref(), now, settle).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(disclosed = n, "closed complaints disclosed"),
                    Err(e) => tracing::warn!(error = %e, "disclosure sweep failed"),
                }
                // Then the alerts: each confirmed subscription's weekly digest, written once
                // however many servers sweep (the digest's write claims it).
                match app::service::subscriptions::sweep(services.cases.as_ref(), &services.secret, now).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(digests = n, "alert digests written"),
                    Err(e) => tracing::warn!(error = %e, "alert sweep failed"),
                }
            }
        });
    }
    {
        // The staff's morning digests: written once a day by whichever server comes first.
        let services = state.services.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
            loop {
                tick.tick().await;
                match app::service::notify::morning_digests(&services, time::OffsetDateTime::now_utc()).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(digests = n, "morning digests written"),
                    Err(e) => tracing::warn!(error = %e, "morning digests failed"),
                }
                // And the question to consumers whose case closed 20 working days ago.
                match app::service::notify::verdict_questions(&services, time::OffsetDateTime::now_utc()).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(questions = n, "verdict questions written"),
                    Err(e) => tracing::warn!(error = %e, "verdict questions failed"),
                }
            }
        });
    }
    // The outbox's sender (every server runs one; a message goes out once).
    let mut channels = Vec::new();
    if let Some(s) = &config.sms {
        let gateway = server::notify::SmsGateway::new(&s.url, &s.key, &s.signature, s.templates.clone());
        channels.push(server::notify::Channel::Sms(gateway));
    }
    if let Some((url, from)) = &config.smtp {
        channels.push(server::notify::Channel::Email(server::notify::Mailer::new(url, from)?));
    }
    server::notify::Sender {
        store: state.services.cases.clone(),
        channels,
        public_url: config.public_url.clone().unwrap_or_else(|| format!("http://{}", config.addr)),
    }
    .spawn();
    let state_metrics = state.metrics.clone();
    let mut router = web::app(state);
    if std::env::var("PORTAL_BENCH_HELLO").as_deref() == Ok("1") {
        // A bare axum route for scripts/bench to compare the pages against.
        router = router.merge(axum::Router::new().route("/__hello", axum::routing::get(|| async { "Hello, World!" })));
    }
    // `/metrics` on its own address (loopback by default), for the monitoring system only.
    let metrics_listener = tokio::net::TcpListener::bind(config.metrics_addr).await?;
    let metrics = web::metrics_router(state_metrics);
    tokio::spawn(async move {
        if let Err(e) = axum::serve(metrics_listener, metrics).await {
            tracing::warn!(error = %e, "metrics listener stopped");
        }
    });
    let listener = tokio::net::TcpListener::bind(config.addr).await?;
    println!("Portal listening on http://{}", config.addr);
    // Each request carries the client's address (for the throttles); slow headers and idle
    // kept-alive connections time out (serve.rs).
    server::serve::serve(listener, router, shutdown()).await?;
    Ok(())
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
