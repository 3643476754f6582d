//! Every user-visible string, in Simplified Chinese (default) and English. A message is a field of
//! [`Msgs`], so a missing translation is a compile error, not a blank on screen. Chosen over a
//! catalogue crate to keep the browser bundle and build small; the switch is a cookie set by a
//! plain link (`/prefs?lang=en`), so it works without JavaScript.

use crate::domain::kind::{Channel, ItemKind};
use crate::domain::workflow::{ActionName, CaseState};
use crate::domain::Invalid;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// Every language the portal speaks.
    pub const ALL: [Lang; 2] = [Lang::Zh, Lang::En];

    /// The BCP 47 tag for `<html lang>` and the cookie.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Self> {
        match tag {
            "zh-CN" | "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn msgs(self) -> &'static Msgs {
        match self {
            Lang::Zh => &ZH,
            Lang::En => &EN,
        }
    }

    /// Picks the Chinese or English text of a data item.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

pub struct Msgs {
    pub site_name: &'static str,
    pub site_short: &'static str,
    pub skip_to_content: &'static str,
    pub nav_label: &'static str,
    pub nav_home: &'static str,
    pub nav_file: &'static str,
    pub nav_track: &'static str,
    pub nav_guide: &'static str,
    pub nav_stats: &'static str,
    pub nav_cases: &'static str,
    pub other_lang: &'static str,
    pub other_lang_tag: &'static str,
    pub large_text_on: &'static str,
    pub large_text_off: &'static str,
    pub demo_banner: &'static str,
    pub home_title: &'static str,
    pub home_lead: &'static str,
    pub card_file_title: &'static str,
    pub card_file_text: &'static str,
    pub card_track_title: &'static str,
    pub card_track_text: &'static str,
    pub card_guide_title: &'static str,
    pub card_guide_text: &'static str,
    pub hotline: &'static str,
    pub code_check_title: &'static str,
    pub code_check_hint: &'static str,
    pub code_check_label: &'static str,
    pub code_check_button: &'static str,
    pub code_check_ok: &'static str,
    pub rules_title: &'static str,
    pub rules_in_force: &'static str,
    pub rules_acceptance: &'static str,
    pub rules_unverified: &'static str,
    pub footer_text: &'static str,
    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    pub back_home: &'static str,
    pub working_days: &'static str,
    pub calendar_days: &'static str,
}

pub static ZH: Msgs = Msgs {
    site_name: "青海省12315消费者权益保护服务平台",
    site_short: "青海12315",
    skip_to_content: "跳到正文",
    nav_label: "主导航",
    nav_home: "首页",
    nav_file: "我要投诉举报",
    nav_track: "查询进度",
    nav_guide: "办事指南",
    nav_stats: "数据公开",
    nav_cases: "典型案例",
    other_lang: "English",
    other_lang_tag: "en",
    large_text_on: "大字模式",
    large_text_off: "标准字号",
    demo_banner: "本站当前显示的是合成演示数据，并非真实案件。",
    home_title: "消费者咨询、投诉、举报，一个入口",
    home_lead:
        "12315受理消费者的咨询、投诉和举报：投诉由有管辖权的市场监管部门依法调解，举报由其核查处理，全程可在线查询。",
    card_file_title: "我要投诉举报",
    card_file_text: "在线填写，手机即可完成，提交后获得案件编号和查询码。",
    card_track_title: "查询办理进度",
    card_track_text: "凭案件编号和查询码查看受理、调解和办结情况。",
    card_guide_title: "办事指南",
    card_guide_text: "哪些事项可以受理、办理时限、如何准备证据。",
    hotline: "也可拨打12315热线，或来信、留言、到窗口办理。",
    code_check_title: "核对统一社会信用代码",
    code_check_hint: "营业执照上的18位代码，最后一位是校验码。输入后即时核对。",
    code_check_label: "统一社会信用代码",
    code_check_button: "核对",
    code_check_ok: "代码格式和校验码正确。",
    rules_title: "现行依据",
    rules_in_force: "今天收到的投诉适用",
    rules_acceptance: "受理决定期限",
    rules_unverified: "（部分条款待与正式文本核对）",
    footer_text: "青海省12315消费者权益保护服务中心 · 个人信息仅用于处理您的诉求",
    not_found_title: "页面不存在",
    not_found_text: "您访问的页面不存在或已移动。",
    back_home: "返回首页",
    working_days: "个工作日",
    calendar_days: "日",
};

pub static EN: Msgs = Msgs {
    site_name: "Qinghai 12315 Consumer Rights Service",
    site_short: "Qinghai 12315",
    skip_to_content: "Skip to content",
    nav_label: "Main navigation",
    nav_home: "Home",
    nav_file: "File a complaint",
    nav_track: "Track a case",
    nav_guide: "Guide",
    nav_stats: "Statistics",
    nav_cases: "Typical cases",
    other_lang: "中文",
    other_lang_tag: "zh-CN",
    large_text_on: "Large text",
    large_text_off: "Normal text",
    demo_banner: "This site is showing synthetic demonstration data, not real cases.",
    home_title: "Consultations, complaints and reports: one door",
    home_lead: "12315 takes consumers' questions, complaints and reports: the bureau with jurisdiction mediates complaints and investigates reports, and you can follow every step online.",
    card_file_title: "File a complaint or report",
    card_file_text: "Fill it in online, on your phone; you get a case number and a query code.",
    card_track_title: "Track your case",
    card_track_text: "See acceptance, mediation and closure with your case number and query code.",
    card_guide_title: "Guide",
    card_guide_text: "What 12315 can take, the time limits, and how to prepare evidence.",
    hotline: "You can also call the 12315 hotline, write, leave a voice message or come to a service desk.",
    code_check_title: "Check a unified social credit code",
    code_check_hint: "The 18-character code on a business licence; the last character is a check character. Checked as you type.",
    code_check_label: "Unified social credit code",
    code_check_button: "Check",
    code_check_ok: "The code's format and check character are correct.",
    rules_title: "Rules in force",
    rules_in_force: "A complaint received today is handled under",
    rules_acceptance: "Time limit for the acceptance decision",
    rules_unverified: "(some articles still to be checked against the official text)",
    footer_text: "Qinghai 12315 Consumer Rights Service Centre · Your personal data is used only to handle your case",
    not_found_title: "Page not found",
    not_found_text: "The page you asked for does not exist or has moved.",
    back_home: "Back to the home page",
    working_days: " working days",
    calendar_days: " days",
};

/// A field error as a sentence.
pub fn invalid(lang: Lang, e: &Invalid) -> String {
    use Invalid::*;
    match (lang, e) {
        (Lang::Zh, Required) => "此项必填。".into(),
        (Lang::En, Required) => "This field is required.".into(),
        (Lang::Zh, TooShort { min }) => format!("至少{min}个字。"),
        (Lang::En, TooShort { min }) => format!("At least {min} characters."),
        (Lang::Zh, TooLong { max }) => format!("最多{max}个字。"),
        (Lang::En, TooLong { max }) => format!("At most {max} characters."),
        (Lang::Zh, ControlChars) => "含有不可见的控制字符，请删除后重试。".into(),
        (Lang::En, ControlChars) => "Contains invisible control characters; please remove them.".into(),
        (Lang::Zh, Phone) => "请输入11位手机号码，例如 138 1234 5678。".into(),
        (Lang::En, Phone) => "Enter an 11-digit mainland mobile number, e.g. 138 1234 5678.".into(),
        (Lang::Zh, CreditCodeFormat) => "应为18位，由数字和大写字母组成（不含I、O、Z、S、V）。".into(),
        (Lang::En, CreditCodeFormat) => "Must be 18 digits and capital letters (no I, O, Z, S or V).".into(),
        (Lang::Zh, CreditCodeCheck) => "校验码不符，请核对是否抄错。".into(),
        (Lang::En, CreditCodeCheck) => "The check character does not match; please check for a typo.".into(),
        (Lang::Zh, Amount) => "请输入金额（元），最多两位小数，例如 199.50。".into(),
        (Lang::En, Amount) => "Enter an amount in yuan with at most two decimals, e.g. 199.50.".into(),
        (Lang::Zh, AmountTooLarge { max_yuan }) => format!("金额不能超过{max_yuan}元。"),
        (Lang::En, AmountTooLarge { max_yuan }) => format!("The amount cannot exceed {max_yuan} yuan."),
        (Lang::Zh, Date) => "请输入有效日期，格式为 年-月-日。".into(),
        (Lang::En, Date) => "Enter a valid date as YYYY-MM-DD.".into(),
        (Lang::Zh, FutureDate) => "日期不能晚于今天。".into(),
        (Lang::En, FutureDate) => "The date cannot be in the future.".into(),
        (Lang::Zh, TooOld { years }) => format!("已超过{years}年，市场监管部门依法不能受理；可以向法院起诉。"),
        (Lang::En, TooOld { years }) => {
            format!("More than {years} years ago: the bureau cannot take it by law; you may go to court.")
        }
        (Lang::Zh, Choice) => "请从列表中选择。".into(),
        (Lang::En, Choice) => "Please choose from the list.".into(),
        (Lang::Zh, OrderNo) => "只能包含字母、数字和 - _ / # .".into(),
        (Lang::En, OrderNo) => "Only letters, digits and - _ / # . are allowed.".into(),
        (Lang::Zh, FileTooLarge { max_mb }) => format!("文件超过{max_mb}MB，请压缩或拍得小一些后再上传。"),
        (Lang::En, FileTooLarge { max_mb }) => {
            format!("The file is larger than {max_mb} MB; please shrink it and try again.")
        }
        (Lang::Zh, FileType) => "只能上传照片（JPEG、PNG、WebP、HEIC）或PDF文件。".into(),
        (Lang::En, FileType) => "Only photos (JPEG, PNG, WebP, HEIC) or PDF files can be uploaded.".into(),
        (Lang::Zh, TooManyFiles { max }) => format!("最多上传{max}个文件。"),
        (Lang::En, TooManyFiles { max }) => format!("At most {max} files."),
        (Lang::Zh, FileGone) => "有上传的文件已失效（超过一天未提交会被删除），请重新上传后再提交。".into(),
        (Lang::En, FileGone) => {
            "An uploaded file is no longer available (files not submitted within a day are removed): upload it again, then submit."
                .into()
        }
        (Lang::Zh, OutOfScope { ground }) => {
            format!("根据您在第一步的回答（不予受理情形第{ground}项），无法作为投诉受理；可以选择举报或咨询。")
        }
        (Lang::En, OutOfScope { ground }) => {
            format!("Your answers at the first step (refusal ground {ground}) rule out a complaint; you can file a report or ask a question.")
        }
    }
}

pub fn kind(lang: Lang, k: ItemKind) -> &'static str {
    match k {
        ItemKind::Consultation => lang.pick("咨询", "Consultation"),
        ItemKind::Complaint => lang.pick("投诉", "Complaint"),
        ItemKind::Report => lang.pick("举报", "Report"),
    }
}

pub fn channel(lang: Lang, c: Channel) -> &'static str {
    match c {
        Channel::Web => lang.pick("互联网", "Internet"),
        Channel::Phone => lang.pick("电话", "Phone"),
        Channel::Letter => lang.pick("信件", "Letter"),
        Channel::VoiceMessage => lang.pick("留言", "Voice message"),
        Channel::WalkIn => lang.pick("窗口", "Walk-in"),
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
        None => lang.pick("无省内经营地（含咨询）", "No business location in Qinghai (incl. questions)").to_owned(),
    }
}

pub fn state(lang: Lang, s: CaseState) -> &'static str {
    use CaseState::*;
    match s {
        Received => lang.pick("已登记", "Received"),
        Transferred => lang.pick("已转办", "Transferred"),
        Accepted => lang.pick("已受理", "Accepted"),
        InMediation => lang.pick("调解中", "In mediation"),
        Settled => lang.pick("调解成功", "Settled"),
        MediationTerminated => lang.pick("终止调解", "Mediation ended"),
        Refused => lang.pick("不予受理", "Not accepted"),
        UnderVerification => lang.pick("核查中", "Being checked"),
        CaseOpened => lang.pick("已立案", "Case opened"),
        NotOpened => lang.pick("不予立案", "No case opened"),
        Closed => lang.pick("已办结", "Closed"),
        Withdrawn => lang.pick("已撤回", "Withdrawn"),
        Contested => lang.pick("对办结有异议，待答复", "Closure contested, awaiting an answer"),
    }
}

/// A step of the timeline, as the consumer reads it.
pub fn action(lang: Lang, a: ActionName) -> &'static str {
    use ActionName::*;
    match a {
        Receive => lang.pick("收到", "Received"),
        Accept => lang.pick("受理", "Accepted"),
        Refuse => lang.pick("不予受理", "Not accepted"),
        Transfer => lang.pick("转交有管辖权的部门", "Passed to the bureau with jurisdiction"),
        StartMediation => lang.pick("开始调解", "Mediation started"),
        PauseClock => lang.pick("检测鉴定，期间暂停计算", "Testing or appraisal: the clock is paused"),
        ResumeClock => lang.pick("检测鉴定结束，恢复计算期间", "Testing done: the clock runs again"),
        RecordSettlement => lang.pick("达成调解协议", "Agreement reached"),
        TerminateMediation => lang.pick("终止调解", "Mediation ended"),
        Close => lang.pick("办结", "Closed"),
        Answer => lang.pick("答复咨询", "Question answered"),
        StartVerification => lang.pick("开始核查", "Check started"),
        DecideReport => lang.pick("作出是否立案的决定", "Decision whether to open a case"),
        Withdraw => lang.pick("您撤回了诉求", "You withdrew it"),
        Supplement => lang.pick("您补充了材料", "You added material"),
        Rate => lang.pick("您作出了评价", "You rated the handling"),
        Contest => lang.pick("您对办结提出异议", "You contested the closure"),
        AnswerContest => lang.pick("答复异议", "Contest answered"),
        FollowUp => lang.pick("回访", "Follow-up call"),
        Reassign => lang.pick("改由其他部门办理", "Moved to another bureau"),
    }
}

pub fn mediation_method(lang: Lang, m: crate::domain::workflow::MediationMethod) -> &'static str {
    use crate::domain::workflow::MediationMethod::*;
    match m {
        Online => lang.pick("在线调解", "Online"),
        Phone => lang.pick("电话调解", "By phone"),
        OnSite => lang.pick("现场调解", "On site"),
    }
}

/// The name of a role.
pub fn role_label(lang: Lang, r: crate::domain::workflow::Role) -> &'static str {
    use crate::domain::workflow::Role;
    match r {
        Role::IntakeOperator => lang.pick("登记员", "Intake operator"),
        Role::Handler => lang.pick("承办人", "Handler"),
        Role::Supervisor => lang.pick("督办人", "Supervisor"),
        Role::Admin => lang.pick("管理员", "Administrator"),
        Role::Consumer => lang.pick("消费者", "Consumer"),
        Role::System => lang.pick("系统", "System"),
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
        for l in [Lang::Zh, Lang::En] {
            assert_eq!(Lang::from_tag(l.tag()), Some(l));
        }
        assert_eq!(Lang::from_tag("fr"), None);
    }
}
