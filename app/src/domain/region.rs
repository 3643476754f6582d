//! Qinghai's prefecture-level divisions and their counties (data: `app/data/qinghai-divisions.json`)
//! and the market-regulation bureaus that have jurisdiction over them.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct County {
    pub code: String,
    pub zh: String,
    pub en: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prefecture {
    pub code: String,
    pub zh: String,
    pub en: String,
    pub counties: Vec<County>,
}

data_list!(DIVISIONS: Prefecture = "qinghai-divisions.json", prefectures;
    /// The 8 prefecture-level divisions, in official code order.
    fn prefectures; fn prefecture);

pub fn county(code: &str) -> Option<&'static County> {
    prefectures().iter().flat_map(|p| &p.counties).find(|c| c.code == code)
}

/// The prefecture a county belongs to.
pub fn prefecture_of(county_code: &str) -> Option<&'static Prefecture> {
    prefectures().iter().find(|p| p.counties.iter().any(|c| c.code == county_code))
}

/// The code of the provincial 12315 centre, which receives items before they are routed.
pub const CENTRE: &str = "630000";

/// A market-regulation bureau, identified by the code of the division it serves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bureau {
    pub code: String,
    pub zh: String,
    pub en: String,
}

/// The bureau of a division code: the centre (`630000`), a prefecture or a county.
pub fn bureau(code: &str) -> Option<Bureau> {
    if code == CENTRE {
        return Some(Bureau {
            code: CENTRE.into(),
            zh: "青海省12315消费者权益保护服务中心".into(),
            en: "Qinghai 12315 Consumer Rights Service Centre".into(),
        });
    }
    let (zh, en) = match (prefecture(code), county(code)) {
        (Some(p), _) => (p.zh.as_str(), p.en.as_str()),
        (_, Some(c)) => (c.zh.as_str(), c.en.as_str()),
        _ => return None,
    };
    Some(Bureau {
        code: code.into(), zh: format!("{zh}市场监督管理局"), en: format!("{en} Market Regulation Bureau")
    })
}

/// Another provincial-level division, to which an item about a business there is transferred
/// (data: `app/data/provinces.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Province {
    pub code: String,
    pub zh: String,
    pub en: String,
}

data_list!(PROVINCES: Province = "provinces.json", provinces;
    /// The other provinces of the mainland, in code order (Qinghai is not among them).
    fn provinces; fn province);

/// The bureau with jurisdiction over a complaint against a business operating in `county_code`:
/// the county-level bureau where it operates (Interim Measures Art. 12; Order 121 keeps the rule).
pub fn bureau_for_county(county_code: &str) -> Option<Bureau> {
    county(county_code).and_then(|c| bureau(&c.code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_are_eight_prefectures_with_their_codes() {
        let codes: Vec<_> = prefectures().iter().map(|p| p.code.as_str()).collect();
        assert_eq!(codes, ["630100", "630200", "632200", "632300", "632500", "632600", "632700", "632800"]);
        assert!(prefectures().iter().all(|p| !p.counties.is_empty()));
    }

    #[test]
    fn every_county_code_starts_with_its_prefecture() {
        for p in prefectures() {
            for c in &p.counties {
                assert_eq!(&c.code[..4], &p.code[..4], "{}", c.zh);
                assert_eq!(c.code.len(), 6);
            }
        }
    }

    #[test]
    fn bureaus_are_named_after_their_division() {
        assert_eq!(bureau_for_county("630102").unwrap().zh, "城东区市场监督管理局");
        assert_eq!(prefecture_of("632801").unwrap().en, "Haixi");
        assert_eq!(bureau(CENTRE).unwrap().code, "630000");
        assert!(bureau_for_county("110101").is_none());
    }

    #[test]
    fn the_other_thirty_provinces_are_listed_once_and_qinghai_is_not() {
        let codes: Vec<_> = provinces().iter().map(|p| p.code.as_str()).collect();
        assert_eq!(codes.len(), 30);
        assert!(codes.windows(2).all(|w| w[0] < w[1]), "in code order, no repeats");
        assert!(codes.iter().all(|c| c.len() == 6 && c.ends_with("0000")));
        assert!(province(CENTRE).is_none());
        assert_eq!(province("330000").unwrap().zh, "浙江省");
        assert!(province("330100").is_none(), "a city is not a province");
    }
}
