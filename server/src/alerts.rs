//! The plain routes of e-mail alerts: `GET /alerts` (the form, for `?target=`), `POST /alerts`
//! (subscribe: the same "check your inbox" whether or not the address was subscribed),
//! `GET`/`POST /alerts/confirm?s=&t=` and `GET`/`POST /alerts/unsubscribe?s=&t=` (the `POST`
//! is also RFC 8058's one-click unsubscribe, which a mail provider sends without cookies or
//! an `Origin`: the link's token is what authorizes it). Each renders `pages::alerts`.

use crate::forms::{lang_of, see_other, ClientAddr, Pages, Posted};
use app::domain::subscription::{SubscribeForm, Target};
use app::error::AppError;
use app::service::state::Services;
use app::views::forms::AlertState;
use axum::extract::{Query, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Extension;

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct FormQuery {
    target: String,
    sent: String,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct LinkQuery {
    s: String,
    t: String,
}

async fn render(pages: &Pages, parts: Parts, state: AlertState, status: StatusCode) -> Response {
    pages.render(parts, state, status).await
}

fn invalid() -> AlertState {
    AlertState { stage: "invalid".into(), ..Default::default() }
}

/// `GET /alerts?target=`: the subscription form for a business or a county.
pub async fn form(
    State(services): State<Services>,
    Extension(pages): Extension<Pages>,
    Query(q): Query<FormQuery>,
    req: axum::extract::Request,
) -> Response {
    let (parts, _) = req.into_parts();
    if !q.sent.is_empty() {
        return render(&pages, parts, AlertState { stage: "sent".into(), ..Default::default() }, StatusCode::OK).await;
    }
    let lang = lang_of(&parts.headers);
    let mut state = AlertState {
        stage: "form".into(),
        form: SubscribeForm { target: q.target.clone(), email: String::new() },
        ..Default::default()
    };
    let status = match Target::parse(&q.target) {
        Ok(t) => match app::service::subscriptions::describe(&services, &t, lang).await {
            Ok(Some(name)) => {
                state.name = name;
                state.page = t.page();
                StatusCode::OK
            }
            Ok(None) => StatusCode::NOT_FOUND,
            Err(e) => return e.into_response(),
        },
        Err(_) => StatusCode::NOT_FOUND,
    };
    if status == StatusCode::NOT_FOUND {
        state = invalid();
    }
    render(&pages, parts, state, status).await
}

/// `POST /alerts` (`email`, `target`): subscribes and sends the confirmation; a refused form
/// comes back with its errors (422).
pub async fn subscribe(
    State(services): State<Services>,
    Extension(pages): Extension<Pages>,
    ClientAddr(client): ClientAddr,
    Posted { mut parts, form }: Posted<SubscribeForm>,
) -> Response {
    let lang = lang_of(&parts.headers);
    let now = time::OffsetDateTime::now_utc();
    match app::service::subscriptions::subscribe(&services, &form, lang, &client, now).await {
        Ok(()) => see_other("/alerts?sent=1", None),
        Err(AppError::Invalid(errors)) => {
            parts.uri = axum::http::Uri::from_static("/alerts");
            let mut state = AlertState { stage: "form".into(), form: form.clone(), errors, ..Default::default() };
            if let Ok(t) = Target::parse(&form.target) {
                if let Ok(Some(name)) = app::service::subscriptions::describe(&services, &t, lang).await {
                    state.name = name;
                    state.page = t.page();
                }
            }
            render(&pages, parts, state, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => e.into_response(),
    }
}

/// A link's request: its head, whether it is the button's (or a mail client's) `POST`, the
/// reader's language.
fn link_request(req: axum::extract::Request) -> (Parts, bool, app::i18n::Lang) {
    let (parts, _) = req.into_parts();
    let post = parts.method == axum::http::Method::POST;
    let lang = lang_of(&parts.headers);
    (parts, post, lang)
}

/// The page of a link that holds: its stage, what it follows, the link's number and token.
fn link_state(stage: &str, v: app::service::subscriptions::AlertLink, q: LinkQuery) -> (AlertState, StatusCode) {
    (
        AlertState { stage: stage.into(), name: v.name, page: v.page, s: q.s, t: q.t, ..Default::default() },
        StatusCode::OK,
    )
}

/// `GET /alerts/confirm?s=&t=` (the button) and `POST` (confirms).
pub async fn confirm(
    State(services): State<Services>,
    Extension(pages): Extension<Pages>,
    Query(q): Query<LinkQuery>,
    req: axum::extract::Request,
) -> Response {
    let (parts, post, lang) = link_request(req);
    let now = time::OffsetDateTime::now_utc();
    let (state, status) = match app::service::subscriptions::confirm(&services, &q.s, &q.t, post, lang, now).await {
        Ok(v) => link_state(if v.confirmed { "confirmed" } else { "confirm" }, v, q),
        Err(AppError::NotFound) => (invalid(), StatusCode::NOT_FOUND),
        Err(e) => return e.into_response(),
    };
    render(&pages, parts, state, status).await
}

/// `GET /alerts/unsubscribe?s=&t=` (the button) and `POST` (unsubscribes: the form's button, or
/// a mail client's `List-Unsubscribe=One-Click`). A second click finds it gone: unsubscribed.
pub async fn unsubscribe(
    State(services): State<Services>,
    Extension(pages): Extension<Pages>,
    Query(q): Query<LinkQuery>,
    req: axum::extract::Request,
) -> Response {
    let (parts, post, lang) = link_request(req);
    let (state, status) = match app::service::subscriptions::unsubscribe(&services, &q.s, &q.t, post, lang).await {
        Ok(Some(v)) if !post => link_state("unsubscribe", v, q),
        Ok(_) => (AlertState { stage: "unsubscribed".into(), ..Default::default() }, StatusCode::OK),
        Err(AppError::NotFound) => (invalid(), StatusCode::NOT_FOUND),
        Err(e) => return e.into_response(),
    };
    render(&pages, parts, state, status).await
}
