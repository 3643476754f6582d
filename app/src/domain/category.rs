//! The category taxonomy for goods, services and report topics (data: `app/data/categories.json`).

use super::kind::ItemKind;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Group {
    Goods,
    Services,
    Report,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub code: String,
    pub group: Group,
    pub zh: String,
    pub en: String,
}

data_list!(TAXONOMY: Category = "categories.json", categories; fn all; fn get);

/// Complaints and consultations are about goods or services; reports about a kind of violation.
pub fn for_kind(kind: ItemKind) -> impl Iterator<Item = &'static Category> {
    all().iter().filter(move |c| match kind {
        ItemKind::Report => c.group == Group::Report,
        _ => c.group != Group::Report,
    })
}

/// Parses a category code that must fit the item kind.
pub fn parse(code: &str, kind: ItemKind) -> Result<&'static Category, super::Invalid> {
    if code.trim().is_empty() {
        return Err(super::Invalid::Required);
    }
    for_kind(kind).find(|c| c.code == code.trim()).ok_or(super::Invalid::Choice)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn taxonomy_loads_with_unique_codes() {
        let mut codes: Vec<_> = all().iter().map(|c| &c.code).collect();
        let n = codes.len();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), n);
        assert!(all().iter().any(|c| c.group == Group::Goods));
        assert!(all().iter().any(|c| c.group == Group::Services));
    }

    #[test]
    fn a_category_must_fit_the_kind() {
        assert!(parse("G01", ItemKind::Complaint).is_ok());
        assert!(parse("R01", ItemKind::Report).is_ok());
        assert_eq!(parse("R01", ItemKind::Complaint), Err(super::super::Invalid::Choice));
        assert_eq!(parse("G01", ItemKind::Report), Err(super::super::Invalid::Choice));
        assert_eq!(parse("", ItemKind::Report), Err(super::super::Invalid::Required));
    }
}
