//! The guide's prose: markdown rendered to HTML on the server (never in the browser bundle).

/// CommonMark to HTML. Raw HTML in the source is shown as text, so the files cannot carry markup
/// of their own (the page's scripts and styles stay under the site's rules).
pub fn render(markdown: &str) -> String {
    use pulldown_cmark::{html, Event, Parser};
    let events = Parser::new(markdown).map(|e| match e {
        Event::Html(t) | Event::InlineHtml(t) => Event::Text(t),
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    #[test]
    fn markdown_becomes_html_and_raw_html_stays_text() {
        let html = super::render("## 标题\n\n**粗体** <script>alert(1)</script>");
        assert!(html.contains("<h2>标题</h2>") && html.contains("<strong>粗体</strong>"), "{html}");
        assert!(!html.contains("<script>") && html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn every_language_has_the_same_sections() {
        use crate::i18n::{guide_markdown, Lang};
        let count = |s: &str| s.lines().filter(|l| l.starts_with("## ")).count();
        let zh = guide_markdown(Lang::Zh);
        assert!(count(zh) >= 4);
        for lang in Lang::ALL {
            assert_eq!(count(guide_markdown(lang)), count(zh), "{lang:?}");
        }
        assert_ne!(guide_markdown(Lang::En), zh);
    }
}
