//! The open-day wall: the walk-through panel that follows one case through its stages.

use crate::domain::kind::ItemKind;
use crate::domain::workflow::{ActionName, CaseState};
use crate::i18n::{self, Lang};

/// The stages of an item's path shown on the walk-through panel, and where a state sits.
pub fn stages(lang: Lang, kind: ItemKind) -> Vec<&'static str> {
    match kind {
        ItemKind::Complaint => vec![
            lang.msgs().screen_received,
            lang.msgs().screen_decision,
            lang.msgs().screen_mediation,
            lang.msgs().screen_outcome,
            lang.msgs().screen_closed,
        ],
        ItemKind::Report => vec![
            lang.msgs().screen_received,
            lang.msgs().screen_check,
            lang.msgs().screen_decision_2,
            lang.msgs().screen_closed,
        ],
        ItemKind::Consultation => vec![lang.msgs().screen_received, lang.msgs().screen_answered],
    }
}

pub fn stage_of(kind: ItemKind, state: CaseState) -> usize {
    use CaseState::*;
    match (kind, state) {
        (_, Received | Transferred) => 0,
        (ItemKind::Complaint, Accepted | Refused) => 1,
        (ItemKind::Complaint, InMediation) => 2,
        (ItemKind::Complaint, Settled | MediationTerminated) => 3,
        (ItemKind::Complaint, _) => 4,
        (ItemKind::Report, UnderVerification) => 1,
        (ItemKind::Report, CaseOpened | NotOpened) => 2,
        (ItemKind::Report, _) => 3,
        (ItemKind::Consultation, _) => 1,
    }
}

fn step_label(lang: Lang, a: ActionName) -> &'static str {
    match a {
        ActionName::Withdraw => lang.msgs().screen_withdrawn_by_the_consumer,
        ActionName::Supplement => lang.msgs().screen_the_consumer_added_material,
        ActionName::Rate => lang.msgs().screen_the_consumer_rated_it,
        ActionName::Contest => lang.msgs().screen_the_consumer_contested,
        other => i18n::action(lang, other),
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The walk-through panel as HTML (the page renders it, and the live feed sends it again when
/// the case moves): the item's stages with the current one marked, and its steps so far.
/// The walk-through panel of a case of `kind` and `category` now in `state`, with its steps
/// (action and Unix time in milliseconds) in the order they happened: escaped HTML.
pub fn walkthrough_html(
    lang: Lang,
    kind: ItemKind,
    category: &str,
    state: CaseState,
    steps: &[(ActionName, i64)],
) -> String {
    let current = stage_of(kind, state);
    let mut html = format!(
        r#"<p class="walk-what">{} · {}</p><ol class="walk-stages">"#,
        esc(i18n::kind(lang, kind)),
        esc(&i18n::category_name(lang, category)),
    );
    for (i, name) in stages(lang, kind).into_iter().enumerate() {
        let (class, mark) = match i.cmp(&current) {
            std::cmp::Ordering::Less => ("done", ""),
            std::cmp::Ordering::Equal => ("current", r#" aria-current="step""#),
            std::cmp::Ordering::Greater => ("todo", ""),
        };
        html.push_str(&format!(r#"<li class="{class}"{mark}>{}</li>"#, esc(name)));
    }
    html.push_str(r#"</ol><ol class="walk-steps">"#);
    // The last six steps, in the order they happened.
    for (action, at) in steps.iter().skip(steps.len().saturating_sub(6)) {
        let t = crate::domain::clock::china_time_of(*at);
        html.push_str(&format!(
            "<li><span class=\"walk-at\">{:02}-{:02} {:02}:{:02}</span> {}</li>",
            t.month() as u8,
            t.day(),
            t.hour(),
            t.minute(),
            esc(step_label(lang, *action))
        ));
    }
    html.push_str("</ol>");
    html
}
