//! Open-day routes outside the Leptos pages: the statistics as CSV.

use app::Services;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

#[derive(serde::Deserialize)]
pub struct PeriodQuery {
    #[serde(default)]
    period: String,
}

/// `GET /stats.csv?period=…`: the aggregate tables of the period, in the reader's language.
pub async fn stats_csv(State(services): State<Services>, headers: HeaderMap, Query(q): Query<PeriodQuery>) -> Response {
    let today = app::domain::clock::china_date(time::OffsetDateTime::now_utc());
    let period =
        match app::service::stats::parse_period(&q.period, today) {
            Ok(p) => p,
            Err(_) => return (
                StatusCode::UNPROCESSABLE_ENTITY,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                "统计期间格式不对：请写 2026、2026-Q3 或 2026-07。\nInvalid period: write 2026, 2026-Q3 or 2026-07.\n",
            )
                .into_response(),
        };
    let figures = &services.figures;
    match services
        .read_lagging(|store| async move { app::service::stats::figures(store.as_ref(), figures, period).await })
        .await
    {
        Ok(f) => {
            let lang = crate::forms::lang_of(&headers);
            let name = format!("attachment; filename=\"12315-stats-{}.csv\"", period.code());
            (
                [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, name)],
                app::service::stats::csv(&f, lang),
            )
                .into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "statistics");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// The live feed of the open-day screen. One task per server polls the event log (so steps
/// taken on any server of a cluster show up) every half second and hands what is new to every
/// connected screen; it starts with the first screen.
///
/// At most [`LIVE_CONNECTIONS`] screens are connected to one server at a time; one more is
/// answered 503 with `Retry-After` (its `EventSource` tries again by itself).
#[derive(Clone)]
pub struct Live {
    tx: tokio::sync::broadcast::Sender<std::sync::Arc<Batch>>,
    started: std::sync::Arc<std::sync::Once>,
    slots: std::sync::Arc<tokio::sync::Semaphore>,
}

/// How many screens one server feeds at once (an open day has a handful; each costs a task and
/// a little memory, so a stranger opening thousands cannot exhaust the server).
pub const LIVE_CONNECTIONS: usize = 200;

impl Default for Live {
    fn default() -> Self {
        Self::with_cap(LIVE_CONNECTIONS)
    }
}

impl Live {
    /// A feed for at most `cap` screens at once.
    pub fn with_cap(cap: usize) -> Self {
        Live {
            tx: tokio::sync::broadcast::channel(64).0,
            started: std::sync::Arc::new(std::sync::Once::new()),
            slots: std::sync::Arc::new(tokio::sync::Semaphore::new(cap)),
        }
    }
}

/// What happened since the last poll, with everything a screen shows of it drawn once for all
/// the screens.
pub struct Batch {
    pub items: Vec<app::ports::FeedItem>,
    pub figures: app::views::stats::ScreenFigures,
    /// The walk-through panel in each language, when its case is among `items`.
    pub walk: Vec<(app::i18n::Lang, String)>,
}

/// How often the event log is polled.
const POLL: std::time::Duration = std::time::Duration::from_millis(500);

impl Live {
    fn start(&self, services: &Services) {
        let (tx, services) = (self.tx.clone(), services.clone());
        self.started.call_once(|| {
            tokio::spawn(async move {
                let store = services.cases.as_ref();
                let mut last = store.last_event_id().await.unwrap_or(0);
                let mut tick = tokio::time::interval(POLL);
                loop {
                    tick.tick().await;
                    let items = match store.feed(Some(last), 200).await {
                        Ok(items) if !items.is_empty() => items,
                        Ok(_) => continue,
                        Err(e) => {
                            tracing::warn!(error = %e, "live feed");
                            continue;
                        }
                    };
                    last = items.last().map(|i| i.id).unwrap_or(last);
                    let now = time::OffsetDateTime::now_utc();
                    let Ok(figures) = app::service::screen::current_figures(store, &services.figures, now).await else {
                        continue;
                    };
                    // The walk-through panel is read and drawn only when its case moved.
                    let moved = |no: &app::domain::case::CaseNo| items.iter().any(|i| i.case_no == *no);
                    let walk = match app::service::screen::walkthrough_in(store, &app::i18n::Lang::ALL, moved).await {
                        Ok(Some((_, html))) => html,
                        _ => Vec::new(),
                    };
                    // Nobody listening is not an error.
                    let _ = tx.send(std::sync::Arc::new(Batch { items, figures, walk }));
                }
            });
        });
    }
}

/// `GET /stats/live`: server-sent events for the open-day screen, in the reader's language:
/// `tick` (one anonymised step), `figures` (the headline figures), `walk` (the walk-through
/// panel, when its case moved).
pub async fn live(State(services): State<Services>, State(live): State<Live>, headers: HeaderMap) -> Response {
    use axum::response::sse::{Event, KeepAlive, Sse};
    use futures_util::StreamExt;
    let Ok(slot) = live.slots.clone().try_acquire_owned() else {
        let busy = [(header::RETRY_AFTER, "10")];
        return (StatusCode::SERVICE_UNAVAILABLE, busy, "服务器繁忙，请稍后再试 / Busy, try again shortly")
            .into_response();
    };
    live.start(&services);
    let lang = crate::forms::lang_of(&headers);
    let rx = live.tx.subscribe();
    // The slot is held as long as the stream lives, and freed when the screen goes away.
    let stream = futures_util::stream::unfold((rx, slot), move |(mut rx, slot)| async move {
        let batch = loop {
            match rx.recv().await {
                Ok(b) => break b,
                // A slow screen skips what it missed; the next batch brings the figures again.
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
            }
        };
        let mut events: Vec<Result<Event, std::convert::Infallible>> = Vec::new();
        for item in &batch.items {
            let tick = app::service::screen::tick(lang, item);
            if let Ok(e) = Event::default().event("tick").json_data(&tick) {
                events.push(Ok(e));
            }
        }
        if let Ok(e) = Event::default().event("figures").json_data(&batch.figures) {
            events.push(Ok(e));
        }
        if let Some((_, html)) = batch.walk.iter().find(|(l, _)| *l == lang) {
            events.push(Ok(Event::default().event("walk").data(html.clone())));
        }
        Some((futures_util::stream::iter(events), (rx, slot)))
    })
    .flatten();
    Sse::new(stream).keep_alive(KeepAlive::default()).into_response()
}
