//! The forms as the server rendered them after a plain post (no JavaScript): what was sent and
//! why it came back. The no-JavaScript routes fill these; the pages read them.

use crate::domain::filing::FilingForm;
use crate::domain::tracking::{LookupForm, RatingForm};
use crate::domain::FieldError;
use crate::views::publish::ReviewForm;
use serde::{Deserialize, Serialize};

/// The form as the server rendered it after a post (no JavaScript): values and errors.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilingState {
    pub form: FilingForm,
    pub errors: Vec<FieldError>,
}

/// Why a form came back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Problem {
    /// No such case, or the wrong code (one answer for both).
    NoMatch,
    /// Too many wrong codes: try again after this time (China time).
    Locked {
        until: String,
    },
    /// The tracking cookie has expired or is for another case.
    Expired,
    /// The case's state does not allow this step (any more).
    NotNow,
    /// The period for this step has passed.
    TooLate,
    AlreadyRated,
}

/// A refused form as the server rendered it: the input (never the query code) and the errors.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackState {
    pub lookup: LookupForm,
    /// Which step's form was posted (`supplement`, `withdraw`, `rate`, `contest`).
    pub step: String,
    pub text: String,
    pub reason: String,
    pub rating: Option<RatingForm>,
    pub errors: Vec<FieldError>,
    pub problem: Option<Problem>,
}

/// The page for a lost query code as the server rendered it (`/track/recover`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoverState {
    /// The number typed: shown again, and carried in the code's form (never in an address).
    pub phone: String,
    /// A code was asked for: the code's form is shown, with the same words whether or not the
    /// number has a case.
    pub sent: bool,
    pub errors: Vec<FieldError>,
    /// The list of cases had expired (more than 10 minutes after the code).
    pub expired: bool,
}

/// A refused sign-in as the server rendered it (never with the password).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginState {
    pub username: String,
    pub errors: Vec<FieldError>,
    /// 401 (wrong name or password) or 429 (locked for a while).
    pub problem: Option<u16>,
}

/// What the second-factor page shows (`/staff/login/code`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum CodeStage {
    /// No open sign-in (none, or more than 10 minutes old): start again.
    #[default]
    Expired,
    /// The code from the authenticator app (or a recovery code).
    Code,
    /// First time: the secret to add to an app, as a QR code and as text, then its first code.
    Enrol { secret: String, qr_svg: String },
    /// Enrolled and signed in: the recovery codes, shown this once.
    Recovery { codes: Vec<String> },
}

/// The second-factor page as the server rendered it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeState {
    pub stage: CodeStage,
    pub errors: Vec<FieldError>,
    /// 401 (wrong or used code) or 429 (wait after wrong codes).
    pub problem: Option<u16>,
}

/// A refused staff step as the server rendered it: the form as sent, and why.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleState {
    pub form: crate::domain::actions::ActionForm,
    pub errors: Vec<FieldError>,
    /// `changed` (someone acted first), `not_now` (the workflow refuses it).
    pub problem: Option<String>,
}

/// The bureau's form adding an entry to the register, as the server rendered it when refused.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterState {
    pub form: crate::domain::business::BusinessForm,
    pub errors: Vec<FieldError>,
    /// `changed`: another decision on the entry came first.
    pub problem: Option<String>,
}

/// An objection or a decision on one, refused and rendered again: the forms as sent, which
/// objection (or item) they were about, the errors.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectionState {
    pub objection: crate::domain::disclosure::objection::ObjectionForm,
    pub decision: crate::domain::disclosure::objection::DecisionForm,
    /// The objection decided on (a decision's errors), if any.
    pub id: Option<i64>,
    pub errors: Vec<FieldError>,
    /// `pending`: the item has an objection awaiting a decision; `decided`: decided already.
    pub problem: Option<String>,
}

/// The pages of e-mail alerts (`/alerts`, `/alerts/confirm`, `/alerts/unsubscribe`), rendered
/// by the server: which step, the form and its errors, what the alerts follow, the link's
/// number and token (for its button).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertState {
    /// `form`, `sent`, `confirm`, `confirmed`, `unsubscribe`, `unsubscribed` or `invalid`.
    pub stage: String,
    pub form: crate::domain::subscription::SubscribeForm,
    pub errors: Vec<FieldError>,
    /// What the alerts follow, and its page.
    pub name: String,
    pub page: String,
    pub s: String,
    pub t: String,
}

/// The intake form as the server rendered it: input and errors, or the registered item.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntakeState {
    pub channel: String,
    pub form: crate::domain::filing::FilingForm,
    pub errors: Vec<FieldError>,
    /// The case number and the query code to tell the consumer, once registered.
    pub done: Option<(String, String)>,
}

/// A review the server refused: the form as sent and why.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishState {
    pub form: ReviewForm,
    pub errors: Vec<FieldError>,
}
