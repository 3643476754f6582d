//! The sender: a task in every server that claims the messages due in the outbox, sends each
//! through its channel and marks it sent, or tried again later with a growing wait, or failed
//! after [`MAX_ATTEMPTS`]. Delivery is at least once: a sender that stops mid-send leaves its
//! lease to run out and another sends the message again under the same id, which the provider
//! takes as its idempotency key, so the consumer gets it once.

use app::domain::clock::unix_ms;
use app::domain::notify::{retry_delay_ms, NoticeChannel, NoticeKind, MAX_ATTEMPTS};
use app::error::AppError;
use app::ports::{CaseStore, Notice};
use std::sync::Arc;

/// How long a claimed message is held by its sender before another may take it.
pub const LEASE_MS: i64 = 60_000;
/// Messages claimed at once by one sender.
const BATCH: i64 = 20;

/// A text-message provider's HTTP gateway: each message is a JSON `POST` to `url` with the key
/// as a bearer token, naming the provider-approved template of its kind and its parameters
/// (providers in China send only registered templates under a registered signature).
#[derive(Clone)]
pub struct SmsGateway {
    url: String,
    key: String,
    signature: String,
    /// Template ids by kind; a kind not named uses `12315_<kind>`.
    templates: Vec<(NoticeKind, String)>,
    client: reqwest::Client,
}

impl SmsGateway {
    pub fn new(url: &str, key: &str, signature: &str, templates: Vec<(NoticeKind, String)>) -> Self {
        let client = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .unwrap_or_else(|_| reqwest::Client::new());
        Self { url: url.to_owned(), key: key.to_owned(), signature: signature.to_owned(), templates, client }
    }

    /// `receipt=SMS_0001,accepted=SMS_0002,…` (`PORTAL_SMS_TEMPLATES`).
    pub fn parse_templates(s: &str) -> Result<Vec<(NoticeKind, String)>, String> {
        s.split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, id) = p.split_once('=').ok_or_else(|| format!("not kind=template: {p}"))?;
                let kind = NoticeKind::from_code(k.trim()).ok_or_else(|| format!("no such message: {k}"))?;
                Ok((kind, id.trim().to_owned()))
            })
            .collect()
    }

    fn template(&self, kind: NoticeKind) -> String {
        self.templates
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, t)| t.clone())
            .unwrap_or_else(|| format!("12315_{}", kind.code()))
    }

    /// Sends one message; the provider answers 2xx when it took it.
    pub async fn send(&self, n: &Notice, public_url: &str) -> Result<(), String> {
        let link = app::service::notify::track_link(public_url, n);
        let params: serde_json::Map<String, serde_json::Value> = app::service::notify::words(n, &link)
            .into_iter()
            .map(|(k, v)| (k.to_owned(), serde_json::Value::String(v)))
            .collect();
        let body = serde_json::json!({
            "id": n.uid,
            "phone": n.recipient,
            "sign": self.signature,
            "template": self.template(n.kind),
            "params": params,
            "text": app::service::notify::text(n, &link),
        });
        let res = self
            .client
            .post(&self.url)
            .bearer_auth(&self.key)
            .header("Idempotency-Key", &n.uid)
            .json(&body)
            .send()
            .await
            .map_err(|e| format!("gateway unreachable: {}", e.without_url()))?;
        if res.status().is_success() {
            Ok(())
        } else {
            Err(format!("gateway answered {}", res.status().as_u16()))
        }
    }
}

/// E-mail through an SMTP server: `smtp://host:25` (plain, or `?tls=required` for STARTTLS) or
/// `smtps://user:password@host:465`, from `PORTAL_MAIL_FROM`. A message's `Message-ID` is its
/// message id (a UUID), so a message sent twice (a sender that stopped before marking it) is
/// recognisably the same, and no other deployment's message has it.
#[derive(Clone)]
pub struct Mailer {
    transport: lettre::AsyncSmtpTransport<lettre::Tokio1Executor>,
    from: lettre::message::Mailbox,
}

impl Mailer {
    pub fn new(url: &str, from: &str) -> Result<Self, String> {
        let transport = lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(url)
            .map_err(|e| format!("PORTAL_SMTP_URL: {e}"))?
            .timeout(Some(std::time::Duration::from_secs(10)))
            .build();
        let from = from.parse().map_err(|e| format!("PORTAL_MAIL_FROM: {e}"))?;
        Ok(Self { transport, from })
    }

    /// Sends one message; the server answers 2xx when it took it.
    pub async fn send(&self, n: &Notice, public_url: &str) -> Result<(), String> {
        use lettre::AsyncTransport;
        let link = app::service::notify::track_link(public_url, n);
        let to: lettre::message::Mailbox = n.recipient.parse().map_err(|_| "not an e-mail address".to_owned())?;
        let domain = self.from.email.domain().to_owned();
        let mut builder = lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(app::service::notify::subject(n))
            .message_id(Some(format!("<{}@{domain}>", n.uid)))
            .header(lettre::message::header::ContentType::TEXT_PLAIN);
        if let Some(url) = app::service::notify::unsubscribe_link(public_url, n) {
            // RFC 8058: the mail client's one-click unsubscribe POSTs `List-Unsubscribe=One-Click` there.
            builder = builder.raw_header(lettre::message::header::HeaderValue::new(
                lettre::message::header::HeaderName::new_from_ascii_str("List-Unsubscribe"),
                format!("<{url}>"),
            ));
            builder = builder.raw_header(lettre::message::header::HeaderValue::new(
                lettre::message::header::HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".to_owned(),
            ));
        }
        let message = builder.body(app::service::notify::text(n, &link)).map_err(|e| format!("message: {e}"))?;
        self.transport.send(message).await.map_err(|e| format!("mail server: {e}"))?;
        Ok(())
    }
}

/// One way out: text messages or e-mail.
#[derive(Clone)]
pub enum Channel {
    Sms(SmsGateway),
    Email(Mailer),
}

impl Channel {
    fn code(&self) -> NoticeChannel {
        match self {
            Channel::Sms(_) => NoticeChannel::Sms,
            Channel::Email(_) => NoticeChannel::Email,
        }
    }

    async fn send(&self, n: &Notice, public_url: &str) -> Result<(), String> {
        match self {
            Channel::Sms(g) => g.send(n, public_url).await,
            Channel::Email(m) => m.send(n, public_url).await,
        }
    }
}

/// The sender of one server.
#[derive(Clone)]
pub struct Sender {
    pub store: Arc<dyn CaseStore>,
    /// The channels this server sends through; the others' messages stay in the outbox until
    /// a server that has them sends them.
    pub channels: Vec<Channel>,
    /// The portal's public address, for the links in messages.
    pub public_url: String,
}

impl Sender {
    /// One round at `now_ms`: claims the due messages of each configured channel, sends them,
    /// marks them. Returns how many were sent.
    pub async fn round(&self, now_ms: i64) -> Result<usize, AppError> {
        let mut sent = 0;
        for channel in &self.channels {
            let batch = self.store.claim_notices(channel.code(), now_ms, BATCH, LEASE_MS).await?;
            for n in batch {
                match channel.send(&n, &self.public_url).await {
                    Ok(()) => {
                        self.store.notice_sent(n.id, unix_ms(time::OffsetDateTime::now_utc())).await?;
                        sent += 1;
                    }
                    Err(e) => {
                        let retry =
                            (n.attempts < MAX_ATTEMPTS).then(|| now_ms + retry_delay_ms(n.attempts, rand::random()));
                        // The message's id only: never its recipient.
                        tracing::warn!(id = n.id, attempts = n.attempts, error = %e, "message not sent");
                        self.store.notice_failed(n.id, &e, retry).await?;
                    }
                }
            }
        }
        Ok(sent)
    }

    /// Runs rounds every second until the server stops.
    pub fn spawn(self) {
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                let now = unix_ms(time::OffsetDateTime::now_utc());
                if let Err(e) = self.round(now).await {
                    tracing::warn!(error = %e, "outbox round failed");
                }
            }
        });
    }
}
