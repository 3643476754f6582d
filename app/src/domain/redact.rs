//! Redaction of free text before a case is published as a typical case: names, phone numbers,
//! ID numbers, addresses, order and account numbers, e-mail and chat accounts are replaced by
//! a bracketed word. What the case itself knows (the consumer's name, phone and address, the
//! order number, the business's address) is removed wherever it appears; patterns catch the
//! rest. A supervisor reads the result before anything is shown (automation misses things:
//! a bare name with no cue such as "我叫" or "先生" is not recognised).

use regex::Regex;
use std::sync::LazyLock;

/// What the case knows about its parties, removed verbatim.
#[derive(Debug, Clone, Default)]
pub struct Known {
    pub names: Vec<String>,
    pub phones: Vec<String>,
    pub addresses: Vec<String>,
    pub numbers: Vec<String>,
}

pub const NAME: &str = "[姓名]";
pub const PHONE: &str = "[电话]";
pub const ID: &str = "[证件号]";
pub const ADDRESS: &str = "[地址]";
pub const NUMBER: &str = "[编号]";
pub const CONTACT: &str = "[联系方式]";

struct Rule {
    re: Regex,
    /// The replacement; `$1` keeps a cue word (e.g. "我叫") in front of what is removed.
    with: &'static str,
}

fn rule(pattern: &str, with: &'static str) -> Rule {
    Rule { re: Regex::new(pattern).expect("redaction pattern compiles (checked by the tests)"), with }
}

const DIGITS: &str = "0-9０-９";

static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    let d = DIGITS;
    vec![
        // E-mail and chat accounts.
        rule(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}", CONTACT),
        rule(r"(微信号?|QQ号?|qq号?|VX|vx|wx|支付宝账?号?)\s*[:：]?\s*[A-Za-z0-9_-]{5,}", "$1[联系方式]"),
        // Resident ID numbers (18 digits, the last may be X; or the old 15), before phones.
        rule(&format!(r"[{d}]{{6}}\s?(?:19|20)[{d}]{{2}}\s?[{d}]{{4}}\s?[{d}]{{3}}[{d}Xx]"), ID),
        rule(&format!(r"(?:^|[^{d}])([{d}]{{15}})(?:[^{d}]|$)"), ID),
        // Mobile phones, with or without +86 and separators.
        rule(&format!(r"(?:\+?86[-\s]?)?1[3-9][{d}][-\s]?[{d}]{{4}}[-\s]?[{d}]{{4}}"), PHONE),
        // Fixed lines: area code and number, or a bare 7–8 digit number after a phone cue.
        rule(&format!(r"[(（]?0[{d}]{{2,3}}[)）]?[-\s]?[{d}]{{7,8}}"), PHONE),
        rule(&format!(r"(电话|手机|联系方式|座机|热线)\s*[:：是为]?\s*[{d}-]{{7,}}"), "$1[电话]"),
        // Order, tracking, card and account numbers: a long run of letters and digits with many
        // digits, or any number after such a cue.
        rule(
            r"(订单号?|订单编号|单号|运单号?|快递单号|流水号|交易号|卡号|账号|会员号|合同号|编号)\s*[:：为是]?\s*[A-Za-z0-9-]{4,}",
            "$1[编号]",
        ),
        rule(&format!(r"[A-Za-z]{{0,4}}[{d}][{d}A-Za-z-]{{7,}}"), NUMBER),
        // Street addresses: (province, city, district …) road, estate or village, then numbers.
        rule(
            &format!(
                r"(?:[\p{{Han}}]{{1,8}}(?:省|自治区|市|州|盟|地区|区|县|旗|镇|乡|街道))*[\p{{Han}}{d}]{{1,12}}?(?:路|街|巷|胡同|大道|村|小区|花园|家园|公寓|大厦|广场|社区|新村|苑)(?:[{d}一二三四五六七八九十百]+(?:号院|号楼|号|栋|幢|座|单元|层|楼|室|组)[-{d}]*)+"
            ),
            ADDRESS,
        ),
        // Names with a cue: "我叫张三", "姓名：李四", "联系人王五", "张先生", "李女士".
        rule(
            r"(我叫|我是|本人|姓名\s*[:：]?|联系人\s*[:：]?|消费者|投诉人|举报人|收件人\s*[:：]?)\s*[\p{Han}]{2,3}?(反映|称|说|投诉|举报|表示|于|在|[，,。；;、\s]|$)",
            "$1[姓名]$2",
        ),
        rule(r"[\p{Han}](?:先生|女士|小姐|老师|师傅|阿姨|大爷)", "某$0"),
    ]
});

/// Removes personal data from `text`.
pub fn redact(text: &str, known: &Known) -> String {
    let mut out = text.to_owned();
    // The case's own data first, longest first (an address contains shorter names).
    let mut exact: Vec<(&str, &str)> = Vec::new();
    exact.extend(known.addresses.iter().map(|s| (s.as_str(), ADDRESS)));
    exact.extend(known.phones.iter().map(|s| (s.as_str(), PHONE)));
    exact.extend(known.numbers.iter().map(|s| (s.as_str(), NUMBER)));
    exact.extend(known.names.iter().map(|s| (s.as_str(), NAME)));
    exact.retain(|(s, _)| s.chars().count() >= 2);
    exact.sort_by_key(|(s, _)| std::cmp::Reverse(s.len()));
    for (s, with) in exact {
        out = out.replace(s, with);
    }
    for r in RULES.iter() {
        if r.with == "某$0" {
            // Keep the title, drop the surname: "张先生" → "某先生".
            out =
                r.re.replace_all(&out, |c: &regex::Captures| {
                    format!("某{}", &c[0][c[0].char_indices().nth(1).map(|(i, _)| i).unwrap_or(0)..])
                })
                .into_owned();
        } else if r.re.captures_len() > 1 && r.with.starts_with('[') {
            // A pattern that needs the characters around the match (the 15-digit ID).
            out =
                r.re.replace_all(&out, |c: &regex::Captures| {
                    let all = &c[0];
                    let inner = c.get(1).map(|m| m.as_str()).unwrap_or(all);
                    all.replacen(inner, r.with, 1)
                })
                .into_owned();
        } else {
            out = r.re.replace_all(&out, r.with).into_owned();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A corpus of real-looking complaint texts: each line's secrets must be gone after
    /// redaction, and the words that carry the story must stay. A row: the text, its secrets, the
    /// words to keep.
    #[rustfmt::skip]
    const CORPUS: &[(&str, &[&str], &[&str])] = &[
        ("我叫王建国，电话13912345678，在城东区某电器店买的洗衣机坏了。", &["王建国", "13912345678"], &["洗衣机", "城东区"]),
        ("本人李秀英，身份证号630102198805061234，办理的美容卡无法退款。", &["李秀英", "630102198805061234"], &["美容卡", "退款"]),
        ("联系人：赵磊 手机：138-0971-2345，订单号：TB2026110812345678。", &["赵磊", "138-0971-2345", "TB2026110812345678"], &["订单号"]),
        ("家住西宁市城西区胜利路8号3单元502室，物业乱收费。", &["胜利路8号3单元502室"], &["物业乱收费"]),
        ("请联系我的座机0971-6123456或邮箱wangjg@example.com。", &["0971-6123456", "wangjg@example.com"], &["座机"]),
        ("快递单号SF1234567890123，商家一直不发货，客服张先生不回复。", &["SF1234567890123", "张先生"], &["不发货", "客服"]),
        ("我的微信号是wxid_abc12345，商家加我后拉黑了。", &["wxid_abc12345"], &["拉黑"]),
        ("在海东市乐都区碾伯镇新华村3组的超市买到过期牛奶。", &["新华村3组"], &["过期牛奶", "超市"]),
        ("银行卡号6222021234567890123被多扣了299元。", &["6222021234567890123"], &["299元", "多扣"]),
        ("培训机构的李老师承诺包过，交了12800元学费后机构跑路。", &["李老师"], &["12800元", "学费", "跑路"]),
        ("投诉人刘芳，QQ 123456789，反映网购羽绒服充绒量不足。", &["刘芳", "123456789"], &["羽绒服", "充绒量"]),
        ("家住格尔木市昆仑路18号院2号楼1单元301，电梯长期故障。", &["昆仑路18号院2号楼1单元301"], &["电梯", "故障"]),
        ("老身份证号码630121650812123买的保健品说能治病。", &["630121650812123"], &["保健品", "治病"]),
        ("手机号+86 139 7100 1234已被商家泄露，天天接到推销电话。", &["139 7100 1234"], &["推销电话"]),
        ("合同号HT-2026-0815，装修公司拖延工期三个月。", &["HT-2026-0815"], &["装修公司", "三个月"]),
        ("收件人：马晓东，地址玉树市结古镇民主路12号。", &["马晓东", "民主路12号"], &["收件人"]),
        ("王女士在直播间下单的手机屏幕有划痕，商家拒绝退换。", &["王女士"], &["直播间", "手机屏幕"]),
        ("会员号VIP00012345的余额3000元被清零。", &["VIP00012345"], &["3000元", "清零"]),
        ("我是陈静，交易号4200001234202611281234567890，请核实。", &["陈静", "4200001234202611281234567890"], &["核实"]),
        ("店主马师傅说七天无理由退货不适用于定制商品。", &["马师傅"], &["七天无理由退货", "定制商品"]),
        ("热线电话4008123456一直打不通。", &["4008123456"], &["打不通"]),
        ("西宁市城北区小桥大街25号的火锅店菜里有异物，我于2026年11月3日就餐。", &["小桥大街25号"], &["火锅店", "异物", "2026年11月3日"]),
        ("住址：海西州德令哈市长江路3号楼2单元，热水器漏水。", &["长江路3号楼2单元"], &["热水器漏水"]),
        ("支付宝账号13800001111被扣款。", &["13800001111"], &["扣款"]),
        ("运单号 YT9876543210987 显示已签收但我没收到。", &["YT9876543210987"], &["已签收"]),
        ("车架号LSVAU2180N2123456的新车漆面有修补。", &["LSVAU2180N2123456"], &["新车", "漆面"]),
        ("消费者张伟，于海北州西海镇购买的牦牛肉干标注产地不符。", &["张伟"], &["牦牛肉干", "产地"]),
        ("姓名：杨丽娟；电话：0971 8123456。", &["杨丽娟", "0971 8123456"], &[]),
        ("在互助县威远镇鼓楼南街6号的超市买的酒是假酒。", &["鼓楼南街6号"], &["假酒"]),
        ("举报人何军反映景区停车场乱收费，每次收费50元。", &["何军"], &["停车场", "50元"]),
        ("快递员李大爷说包裹放在了驿站，电话是15209712345。", &["李大爷", "15209712345"], &["驿站"]),
        ("买的冰箱型号BCD-520W噪音很大。", &[], &["冰箱", "噪音"]),
        ("充值卡卡号8800 1234 5678 9012余额不退。", &["8800 1234 5678 9012"], &["余额不退"]),
        ("在城中区南大街花园小区5号楼的美发店办卡，老板跑路。", &["花园小区5号楼"], &["美发店", "跑路"]),
        ("联系方式：13997001234（白天）。", &["13997001234"], &["白天"]),
        // A business's public hotline is not personal data: it stays.
        ("平台客服电话95188说只能退一半。", &[], &["95188", "退一半"]),
        ("身份证６３０１０２１９９０１２１２３４５６被冒用办卡。", &["６３０１０２１９９０１２１２３４５６"], &["冒用"]),
        ("订单编号：20261101223344556677，买到假冒运动鞋。", &["20261101223344556677"], &["假冒运动鞋"]),
        ("我叫韩梅梅。在网上买的面膜用了过敏。", &["韩梅梅"], &["面膜", "过敏"]),
        ("旅行社导游强制购物，导游的手机是18697123456，团号QH20260801。", &["18697123456", "QH20260801"], &["强制购物", "团号"]),
    ];

    #[test]
    fn the_corpus_is_redacted_without_misses_and_keeps_the_story() {
        let mut misses = Vec::new();
        for &(text, secrets, keep) in CORPUS {
            let out = redact(text, &Known::default());
            for secret in secrets {
                if out.contains(secret) {
                    misses.push(format!("{secret} in {out}"));
                }
            }
            for word in keep {
                assert!(out.contains(word), "{word} was lost: {out}");
            }
        }
        assert!(CORPUS.len() >= 40);
        assert!(misses.is_empty(), "{} misses in {} texts:\n{}", misses.len(), CORPUS.len(), misses.join("\n"));
    }

    #[test]
    fn what_the_case_knows_is_removed_wherever_it_appears() {
        let known = Known {
            names: vec!["卓玛".into()],
            phones: vec!["13812341234".into()],
            addresses: vec!["西宁市城西区胜利路8号".into()],
            numbers: vec!["A-2026-1120".into()],
        };
        let out = redact("卓玛说：订单A-2026-1120的货送到了西宁市城西区胜利路8号，但卓玛不在家。", &known);
        assert_eq!(out, "[姓名]说：订单[编号]的货送到了[地址]，但[姓名]不在家。");
    }

    #[test]
    fn html_stays_text_and_amounts_and_dates_stay() {
        let out = redact("<b>2026年11月28日</b>花了2999.50元", &Known::default());
        assert_eq!(out, "<b>2026年11月28日</b>花了2999.50元", "markup is escaped when shown, not here");
    }
}
