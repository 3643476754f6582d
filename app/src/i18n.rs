//! Every user-visible string, from the message catalogue in `app/locales/<tag>.ftl` (Fluent
//! syntax, one file per language). `build.rs` turns the files into one typed table per language
//! ([`Msgs`], a field per message) and a [`Lang`] variant per file, so a missing translation is a
//! build error, not a blank on screen, and adding a language is adding a file. A language may
//! leave whole groups of keys (say, the staff pages) to fall back to Simplified Chinese. The
//! switch is a cookie set by a plain link (`/prefs?lang=en`), so it works without JavaScript.
//! The server has every language's table compiled in; the browser has only the page's
//! language's, read at the start from the text the server sends ([`browser`]).

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
}

impl Msgs {
    /// A language's messages from the text [`Lang::msgs_text`] makes, or `None` when it does not
    /// hold exactly one value per message. Leaked: a page reads its messages once, for good.
    pub fn from_text(text: String) -> Option<&'static Msgs> {
        let text: &'static str = Box::leak(text.into_boxed_str());
        let values: Box<[&'static str]> = text.split(MSG_SEPARATOR).collect();
        let values: Box<[&'static str; MSG_COUNT]> = values.try_into().ok()?;
        // SAFETY: `Msgs` is `repr(C)` with exactly `MSG_COUNT` fields, each a `&'static str` (the
        // assertion below), so it is laid out as `[&'static str; MSG_COUNT]`; the box is leaked.
        Some(unsafe { &*Box::into_raw(values).cast::<Msgs>() })
    }
}

const _: () = assert!(std::mem::size_of::<Msgs>() == MSG_COUNT * std::mem::size_of::<&str>());

/// The file name of a language's messages for the browser: `<tag>.<hash>.txt` (`boot`).
#[cfg(any(feature = "ssr", not(feature = "hydrate")))]
pub fn messages_file(lang: Lang) -> String {
    format!("{}.{}.txt", lang.tag(), lang.msgs_text().1)
}

/// The messages in the browser: the page's language only, as its start script fetched them
/// (`/pkg/messages/<tag>.<hash>.txt`, see `boot`), read once before hydration. The other
/// languages are not in the WebAssembly at all; a language is changed by a page load.
#[cfg(all(feature = "hydrate", not(feature = "ssr")))]
pub mod browser {
    use crate::i18n::{Lang, Msgs};
    use std::sync::OnceLock;

    static LOADED: OnceLock<&'static Msgs> = OnceLock::new();

    /// Takes the page's messages; false (and nothing taken) if the text is not a table of them.
    pub fn load(text: String) -> bool {
        match Msgs::from_text(text) {
            Some(m) => LOADED.set(m).is_ok(),
            None => false,
        }
    }

    /// The page's messages, whichever language is asked for: a page only ever shows its own.
    pub(super) fn msgs(_: Lang) -> &'static Msgs {
        LOADED.get().expect("the start script loads the messages before hydration")
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
        Choice => m.invalid_choice.into(),
        Number => m.invalid_number.into(),
        TooFew { min } => fill(m.invalid_too_few, &[("min", min)]),
        TooMany { max } => fill(m.invalid_too_many, &[("max", max)]),
        OrderNo => m.invalid_order_no.into(),
        FileTooLarge { max_mb } => fill(m.invalid_file_too_large, &[("max", max_mb)]),
        FileType => m.invalid_file_type.into(),
        Email => m.invalid_email.into(),
        PhotoLayout => m.invalid_photo_layout.into(),
        TooManyFiles { max } => fill(m.invalid_too_many_files, &[("max", max)]),
        FileGone => m.invalid_file_gone.into(),
        FormResent => m.invalid_form_resent.into(),
        OneTimeCode => m.staff_code_format.into(),
        TooManyUploads { per_hour } => fill(m.invalid_too_many_uploads, &[("max", per_hour)]),
        UploadsPaused => m.invalid_uploads_paused.into(),
        TooManyFilings { per_hour } => fill(m.invalid_too_many_filings, &[("max", per_hour)]),
        NotMobile => m.invalid_not_mobile.into(),
        PhoneCode => m.invalid_phone_code.into(),
        PhoneCodeWrong => m.invalid_phone_code_wrong.into(),
        TooManyCodes => m.invalid_too_many_codes.into(),
        TooManyAlerts => m.invalid_too_many_alerts.into(),
    }
}

pub fn kind(lang: Lang, k: ItemKind) -> &'static str {
    lang.msgs().term("kind", k.code())
}

pub fn channel(lang: Lang, c: Channel) -> &'static str {
    lang.msgs().term("channel", c.code())
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
    lang.msgs().term("state", s.code())
}

/// A step of the timeline, as the consumer reads it.
pub fn action(lang: Lang, a: ActionName) -> &'static str {
    lang.msgs().term("action", a.code())
}

/// A step's public detail as people read it: a bureau or a province by name, a mediation's
/// method, time and place; other details (answers, reasons) as they are. `None` for a code that
/// names nothing known.
pub fn step_detail(lang: Lang, action: &str, detail: &str) -> Option<String> {
    use crate::domain::workflow::MediationMethod;
    Some(match ActionName::from_code(action) {
        Some(ActionName::Transfer | ActionName::Reassign) => {
            let bureau = crate::domain::region::bureau(detail)?;
            lang.pick(&bureau.zh, &bureau.en).to_owned()
        }
        Some(ActionName::TransferOut) => {
            let p = crate::domain::region::province(detail)?;
            lang.pick(&p.zh, &p.en).to_owned()
        }
        Some(ActionName::StartMediation) => {
            let mut parts = detail.split('\t');
            let method = parts.next().and_then(MediationMethod::from_code).map(|m| mediation_method(lang, m));
            let rest: Vec<_> = parts.map(|p| p.replace('T', " ")).collect();
            format!(
                "{}{}",
                method.unwrap_or_default(),
                if rest.is_empty() { String::new() } else { format!("：{}", rest.join("，")) }
            )
        }
        // The business's offer, as the event log keeps it: the remedy, the amount, the text.
        Some(ActionName::OdrOffer) => {
            let o = crate::domain::odr::Offer::from_detail(detail)?;
            let m = lang.msgs();
            let amount = fill(m.odr_offer_amount, &[("amount", &o.amount.to_yuan_string())]);
            format!("{} · {amount}：{}", m.term("remedy", o.remedy.code()), o.text)
        }
        _ => detail.to_owned(),
    })
}

/// Who filed for the consumer, in words.
pub fn representation(lang: Lang, r: &crate::domain::party::RepresentationText) -> String {
    use crate::domain::party::RepresentationText::*;
    match r {
        Agent { name, phone } => fill(lang.msgs().track_filed_by_agent, &[("name", name), ("phone", phone)]),
        Representative { consumers } => fill(lang.msgs().track_filed_for_consumers, &[("count", consumers)]),
    }
}

/// An article number, marked when it has not been checked against the official text.
pub fn article(lang: Lang, article: &str, verified: bool) -> String {
    if verified {
        article.to_owned()
    } else {
        format!("{article}{}", lang.msgs().track_article_unverified)
    }
}

/// What a consumer asks for (refund, repair, …).
pub fn demand(lang: Lang, d: crate::domain::case::DemandKind) -> &'static str {
    lang.msgs().term("demand", d.code())
}

pub fn mediation_method(lang: Lang, m: crate::domain::workflow::MediationMethod) -> &'static str {
    lang.msgs().term("mediation", m.code())
}

/// The name of a role.
pub fn role_label(lang: Lang, r: crate::domain::workflow::Role) -> &'static str {
    lang.msgs().term("role", r.code())
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
            Invalid::Choice,
            Invalid::OrderNo,
            Invalid::FileTooLarge { max_mb: 10 },
            Invalid::FileType,
            Invalid::PhotoLayout,
            Invalid::Email,
            Invalid::TooManyFiles { max: 5 },
            Invalid::FileGone,
            Invalid::TooManyFilings { per_hour: 10 },
            Invalid::FormResent,
            Invalid::OneTimeCode,
            Invalid::TooManyUploads { per_hour: 60 },
            Invalid::UploadsPaused,
        ];
        for e in &all {
            let (zh, en) = (invalid(Lang::Zh, e), invalid(Lang::En, e));
            assert_ne!(zh, en, "{e:?}");
            assert!(!zh.is_empty() && en.is_ascii(), "{e:?}");
        }
    }

    #[test]
    fn every_coded_value_has_a_name_in_every_language() {
        use crate::domain::case::DemandKind;
        use crate::domain::filing::Step;
        use crate::domain::tracking::RatingOutcome;
        use crate::domain::workflow::{MediationMethod, Role};
        let groups: [(&str, Vec<&str>); 11] = [
            ("kind", ItemKind::ALL.iter().map(|v| v.code()).collect()),
            ("channel", Channel::ALL.iter().map(|v| v.code()).collect()),
            ("state", CaseState::ALL.iter().map(|v| v.code()).collect()),
            ("action", ActionName::ALL.iter().map(|v| v.code()).collect()),
            ("mediation", MediationMethod::ALL.iter().map(|v| v.code()).collect()),
            ("role", Role::ALL.iter().map(|v| v.code()).collect()),
            ("step", Step::ALL.iter().map(|v| v.code()).collect()),
            ("demand", DemandKind::ALL.iter().map(|v| v.code()).collect()),
            ("outcome", RatingOutcome::ALL.iter().map(|v| v.code()).collect()),
            ("process", vec!["1", "2", "3", "4", "5"]),
            ("remedy", crate::domain::odr::OdrRemedy::ALL.iter().map(|v| v.code()).collect()),
        ];
        for lang in Lang::ALL {
            for (group, codes) in &groups {
                for code in codes {
                    assert!(!lang.msgs().term(group, code).is_empty(), "{lang:?} {group} {code}");
                }
            }
            assert_eq!(lang.msgs().term("state", "no-such-state"), "");
        }
        assert_eq!(state(Lang::Zh, CaseState::InMediation), "调解中");
        assert_eq!(action(Lang::En, ActionName::Receive), "Received");
    }

    #[test]
    fn values_fill_their_places() {
        assert_eq!(fill("{$a} and {$b}, {$a}", &[("a", &1), ("b", &"two")]), "1 and two, 1");
        assert_eq!(invalid(Lang::En, &Invalid::TooShort { min: 4 }), "At least 4 characters.");
        assert_eq!(invalid(Lang::Zh, &Invalid::TooShort { min: 4 }), "至少4个字。");
    }

    #[test]
    fn an_offer_on_the_timeline_reads_as_words() {
        let detail = "refund\t29950\t三日内退款";
        assert_eq!(step_detail(Lang::Zh, "odr_offer", detail).as_deref(), Some("退款 · 金额：299.50 元：三日内退款"));
        assert!(step_detail(Lang::En, "odr_offer", detail).unwrap().starts_with("Refund · "));
        assert_eq!(step_detail(Lang::Zh, "odr_offer", "gift\t1\tx"), None, "not an offer: not shown raw");
    }

    #[test]
    fn a_languages_text_reads_back_as_its_table() {
        for lang in Lang::ALL {
            let (text, hash) = lang.msgs_text();
            let read = Msgs::from_text(text.to_owned()).expect("one value per message");
            assert_eq!(read.values(), lang.msgs().values(), "{lang:?}");
            assert_eq!(read.values().len(), MSG_COUNT);
            assert_eq!(read.term("state", "in_mediation"), lang.msgs().term("state", "in_mediation"));
            assert_eq!(lang.name(), lang.msgs().lang_name);
            assert_eq!(hash.len(), 16);
            assert!(Msgs::from_text(format!("{text}{MSG_SEPARATOR}extra")).is_none());
            assert!(Msgs::from_text(text.rsplit_once(MSG_SEPARATOR).unwrap().0.to_owned()).is_none());
        }
        let hashes: std::collections::BTreeSet<_> = Lang::ALL.iter().map(|l| l.msgs_text().1).collect();
        assert_eq!(hashes.len(), Lang::ALL.len());
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
