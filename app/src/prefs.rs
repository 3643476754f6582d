//! The visitor's display preferences — language and large-text mode — kept in cookies so that
//! they persist and work without JavaScript, plus whether the site shows demonstration data.

use crate::i18n::Lang;

pub const LANG_COOKIE: &str = "lang";
pub const TEXT_COOKIE: &str = "text";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Prefs {
    pub lang: Lang,
    /// Elderly-friendly mode: larger type and higher contrast.
    pub large: bool,
    /// The database holds synthetic demonstration data: every page says so.
    pub demo: bool,
}

impl Prefs {
    /// Reads the preference cookies from a `Cookie` header value.
    pub fn from_cookie_header(header: &str, demo: bool) -> Self {
        let mut p = Prefs { demo, ..Default::default() };
        for pair in header.split(';') {
            match pair.trim().split_once('=') {
                Some((LANG_COOKIE, v)) => p.lang = Lang::from_tag(v).unwrap_or_default(),
                Some((TEXT_COOKIE, v)) => p.large = v == "large",
                _ => {}
            }
        }
        p
    }
}

/// A path inside this site to return to after changing a preference; anything else becomes `/`.
pub fn safe_back(back: &str) -> &str {
    let local = back.starts_with('/') && !back.starts_with("//") && !back.contains('\\');
    if local && !back.chars().any(char::is_control) {
        back
    } else {
        "/"
    }
}

/// The preferences of the page being rendered (provided by the shell on the server and read
/// back from the server-rendered `<html>` element in the browser).
pub fn use_prefs() -> Prefs {
    leptos::prelude::use_context::<Prefs>().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cookies() {
        let p = Prefs::from_cookie_header("a=b; lang=en; text=large", true);
        assert_eq!(p, Prefs { lang: Lang::En, large: true, demo: true });
        assert_eq!(Prefs::from_cookie_header("lang=xx", false).lang, Lang::Zh);
        assert_eq!(Prefs::from_cookie_header("", false), Prefs::default());
    }

    #[test]
    fn only_local_paths_are_followed_back() {
        assert_eq!(safe_back("/track?x=1"), "/track?x=1");
        for bad in ["https://evil.example", "//evil.example", "/\\evil", "javascript:alert(1)", ""] {
            assert_eq!(safe_back(bad), "/", "{bad}");
        }
    }
}
