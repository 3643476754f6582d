//! Every user-visible string, from the message catalogue in `app/locales/<tag>.ftl` (Fluent
//! syntax, one file per language). `build.rs` turns the files into one typed table per language
//! ([`Msgs`], a field per message) and a [`Lang`] variant per file, so a missing translation is a
//! build error, not a blank on screen, and adding a language is adding a file. A language may
//! leave whole groups of keys (say, the staff pages) to fall back to Simplified Chinese. The
//! switch is a cookie set by a plain link (`/prefs?lang=en`), so it works without JavaScript.

use crate::domain::kind::{Channel, ItemKind};
use crate::domain::workflow::{ActionName, CaseState};
use crate::domain::Invalid;
use serde::{Deserialize, Serialize};


include!(concat!(env!("OUT_DIR"), "/catalogue.rs"));

impl Lang {
    /// Picks the text of a data item (a category, a county, a legal ground), which the data
    /// files give in Chinese and English: English for English, Chinese for every other language.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            _ => zh,
        }
    }

    /// The language's own name, for the language switch.
    pub fn name(self) -> &'static str {
        self.msgs().lang_name
    }
}

/// A message with its `{$name}` values filled in.
pub fn fill(template: &str, values: &[(&str, &dyn std::fmt::Display)]) -> String {
    let mut out = template.to_owned();
    for (name, value) in values {
        out = out.replace(&format!("{{${name}}}"), &value.to_string());
    }
    out
}

/// A field error as a sentence.
pub fn invalid(lang: Lang, e: &Invalid) -> String {
    use Invalid::*;
    let m = lang.msgs();
    match e {
        Required => m.invalid_required.into(),
        TooShort { min } => fill(m.invalid_too_short, &[("min", min)]),
        TooLong { max } => fill(m.invalid_too_long, &[("max", max)]),
        ControlChars => m.invalid_control_chars.into(),
        Phone => m.invalid_phone.into(),
        CreditCodeFormat => m.invalid_credit_code_format.into(),
        CreditCodeCheck => m.invalid_credit_code_check.into(),
        Amount => m.invalid_amount.into(),
        AmountTooLarge { max_yuan } => fill(m.invalid_amount_too_large, &[("max", max_yuan)]),
        Date => m.invalid_date.into(),
        FutureDate => m.invalid_future_date.into(),
        TooOld { years } => fill(m.invalid_too_old, &[("years", years)]),
        Choice => m.invalid_choice.into(),
        OrderNo => m.invalid_order_no.into(),
        FileTooLarge { max_mb } => fill(m.invalid_file_too_large, &[("max", max_mb)]),
        FileType => m.invalid_file_type.into(),
        TooManyFiles { max } => fill(m.invalid_too_many_files, &[("max", max)]),
        FileGone => m.invalid_file_gone.into(),
        OutOfScope { ground } => fill(m.invalid_out_of_scope, &[("ground", ground)]),
    }
}

pub fn kind(lang: Lang, k: ItemKind) -> &'static str {
    match k {
        ItemKind::Consultation => lang.msgs().kind_consultation,
        ItemKind::Complaint => lang.msgs().kind_complaint,
        ItemKind::Report => lang.msgs().kind_report,
    }
}

pub fn channel(lang: Lang, c: Channel) -> &'static str {
    match c {
        Channel::Web => lang.msgs().channel_internet,
        Channel::Phone => lang.msgs().channel_phone,
        Channel::Letter => lang.msgs().channel_letter,
        Channel::VoiceMessage => lang.msgs().channel_voice_message,
        Channel::WalkIn => lang.msgs().channel_walk_in,
    }
}

/// A category's name (its code if unknown).
pub fn category_name(lang: Lang, code: &str) -> String {
    crate::domain::category::get(code).map(|c| lang.pick(&c.zh, &c.en).to_owned()).unwrap_or_else(|| code.to_owned())
}

/// A prefecture's name, or "no location in Qinghai" for the statistics' catch-all.
pub fn prefecture_name(lang: Lang, code: &str) -> String {
    match crate::domain::region::prefecture(code) {
        Some(p) => lang.pick(&p.zh, &p.en).to_owned(),
        None => lang.msgs().prefecture_no_business_location_in.to_owned(),
    }
}

pub fn state(lang: Lang, s: CaseState) -> &'static str {
    use CaseState::*;
    match s {
        Received => lang.msgs().state_received,
        Transferred => lang.msgs().state_transferred,
        Accepted => lang.msgs().state_accepted,
        InMediation => lang.msgs().state_in_mediation,
        Settled => lang.msgs().state_settled,
        MediationTerminated => lang.msgs().state_mediation_ended,
        Refused => lang.msgs().state_not_accepted,
        UnderVerification => lang.msgs().state_being_checked,
        CaseOpened => lang.msgs().state_case_opened,
        NotOpened => lang.msgs().state_no_case_opened,
        Closed => lang.msgs().state_closed,
        Withdrawn => lang.msgs().state_withdrawn,
        Contested => lang.msgs().state_closure_contested_awaiting_an,
    }
}

/// A step of the timeline, as the consumer reads it.
pub fn action(lang: Lang, a: ActionName) -> &'static str {
    use ActionName::*;
    match a {
        Receive => lang.msgs().action_received,
        Accept => lang.msgs().action_accepted,
        Refuse => lang.msgs().action_not_accepted,
        Transfer => lang.msgs().action_passed_to_the_bureau,
        StartMediation => lang.msgs().action_mediation_started,
        PauseClock => lang.msgs().action_testing_or_appraisal_the,
        ResumeClock => lang.msgs().action_testing_done_the_clock,
        RecordSettlement => lang.msgs().action_agreement_reached,
        TerminateMediation => lang.msgs().action_mediation_ended,
        Close => lang.msgs().action_closed,
        Answer => lang.msgs().action_question_answered,
        StartVerification => lang.msgs().action_check_started,
        DecideReport => lang.msgs().action_decision_whether_to_open,
        Withdraw => lang.msgs().action_you_withdrew_it,
        Supplement => lang.msgs().action_you_added_material,
        Rate => lang.msgs().action_you_rated_the_handling,
        Contest => lang.msgs().action_you_contested_the_closure,
        AnswerContest => lang.msgs().action_contest_answered,
        FollowUp => lang.msgs().action_follow_up_call,
        Reassign => lang.msgs().action_moved_to_another_bureau,
    }
}

pub fn mediation_method(lang: Lang, m: crate::domain::workflow::MediationMethod) -> &'static str {
    use crate::domain::workflow::MediationMethod::*;
    match m {
        Online => lang.msgs().mediation_online,
        Phone => lang.msgs().mediation_by_phone,
        OnSite => lang.msgs().mediation_on_site,
    }
}

/// The name of a role.
pub fn role_label(lang: Lang, r: crate::domain::workflow::Role) -> &'static str {
    use crate::domain::workflow::Role;
    match r {
        Role::IntakeOperator => lang.msgs().role_intake_operator,
        Role::Handler => lang.msgs().role_handler,
        Role::Supervisor => lang.msgs().role_supervisor,
        Role::Admin => lang.msgs().role_administrator,
        Role::Consumer => lang.msgs().role_consumer,
        Role::System => lang.msgs().role_system,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_invalid_has_distinct_text_in_both_languages() {
        let all = [
            Invalid::Required,
            Invalid::TooShort { min: 2 },
            Invalid::TooLong { max: 9 },
            Invalid::ControlChars,
            Invalid::Phone,
            Invalid::CreditCodeFormat,
            Invalid::CreditCodeCheck,
            Invalid::Amount,
            Invalid::AmountTooLarge { max_yuan: 5 },
            Invalid::Date,
            Invalid::FutureDate,
            Invalid::TooOld { years: 3 },
            Invalid::Choice,
            Invalid::OrderNo,
            Invalid::OutOfScope { ground: 2 },
            Invalid::FileTooLarge { max_mb: 10 },
            Invalid::FileType,
            Invalid::TooManyFiles { max: 5 },
            Invalid::FileGone,
        ];
        for e in &all {
            let (zh, en) = (invalid(Lang::Zh, e), invalid(Lang::En, e));
            assert_ne!(zh, en, "{e:?}");
            assert!(!zh.is_empty() && en.is_ascii(), "{e:?}");
        }
    }

    #[test]
    fn language_tags_round_trip() {
        for l in Lang::ALL {
            assert_eq!(Lang::from_tag(l.tag()), Some(l));
        }
        assert_eq!(Lang::from_tag("fr"), None);
        assert_eq!(Lang::from_tag("zh"), Some(Lang::Zh));
        assert_eq!(Lang::from_tag("bo").map(Lang::tag), Some("bo"));
    }
}
