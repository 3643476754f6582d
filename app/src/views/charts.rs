//! Charts of the statistics as SVG text, drawn on the server: they show without JavaScript,
//! print well and add nothing to the browser bundle. Hand-drawn (a few bars, lines and tiles)
//! because a charting crate would be larger than the charts. Colours come from classes in
//! `style/main.css` (the page's content-security policy allows no inline styles).

use std::fmt::Write;

/// Text for an SVG document: `<`, `>`, `&` and quotes escaped.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn open(w: u32, h: u32, title: &str, id: &str) -> String {
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" class="chart" role="img" aria-labelledby="{id}"><title id="{id}">{}</title>"#,
        esc(title)
    )
}

/// Horizontal bars: each row's value now (and, when given, a year earlier as a thin bar).
pub fn bars(id: &str, title: &str, rows: &[(String, i64, Option<i64>)], legend: (&str, &str)) -> String {
    let row_h = 34;
    let (label_w, bar_w) = (150.0, 380.0);
    let h = 30 + row_h * rows.len().max(1) as u32;
    let max = rows.iter().map(|(_, a, b)| (*a).max(b.unwrap_or(0))).max().unwrap_or(0).max(1) as f64;
    let mut s = open(600, h, title, id);
    let _ = write!(
        s,
        r#"<rect x="0" y="6" width="12" height="12" class="c-now"/><text x="18" y="17" class="c-label">{}</text>"#,
        esc(legend.0)
    );
    if !legend.1.is_empty() {
        let _ = write!(
            s,
            r#"<rect x="150" y="12" width="12" height="4" class="c-before"/><text x="168" y="17" class="c-label">{}</text>"#,
            esc(legend.1)
        );
    }
    for (i, (label, now, before)) in rows.iter().enumerate() {
        let y = 30 + row_h * i as u32;
        let w = (*now as f64 / max * bar_w).max(if *now > 0 { 1.0 } else { 0.0 });
        let _ = write!(
            s,
            r#"<text x="{x}" y="{ty}" class="c-label" text-anchor="end">{l}</text><rect x="{bx}" y="{y}" width="{w:.1}" height="18" class="c-now"/><text x="{vx:.1}" y="{ty}" class="c-value">{now}</text>"#,
            x = label_w - 6.0,
            ty = y + 14,
            l = esc(label),
            bx = label_w,
            vx = label_w + w + 4.0,
        );
        if let Some(b) = before {
            let bw = *b as f64 / max * bar_w;
            let _ = write!(s, r#"<rect x="{label_w}" y="{}" width="{bw:.1}" height="4" class="c-before"/>"#, y + 22);
        }
    }
    s.push_str("</svg>");
    s
}

/// Monthly columns now, with a line for the same months a year earlier.
pub fn trend(id: &str, title: &str, months: &[(String, i64, i64)], legend: (&str, &str)) -> String {
    let (w, h, left, top, bottom) = (600.0, 260.0, 48.0, 28.0, 36.0);
    let plot_h = h - top - bottom;
    let n = months.len().max(1) as f64;
    let step = (w - left - 10.0) / n;
    let max = months.iter().map(|(_, a, b)| (*a).max(*b)).max().unwrap_or(0).max(1) as f64;
    let y_of = |v: i64| top + plot_h - v as f64 / max * plot_h;
    let mut s = open(w as u32, h as u32, title, id);
    let _ = write!(
        s,
        r#"<rect x="{left}" y="6" width="12" height="12" class="c-now"/><text x="{}" y="17" class="c-label">{}</text><line x1="{}" y1="12" x2="{}" y2="12" class="c-line"/><text x="{}" y="17" class="c-label">{}</text>"#,
        left + 18.0,
        esc(legend.0),
        left + 200.0,
        left + 224.0,
        left + 230.0,
        esc(legend.1)
    );
    let _ = write!(
        s,
        r#"<line x1="{left}" y1="{b}" x2="{r}" y2="{b}" class="c-axis"/><text x="{tx}" y="{ty}" class="c-value" text-anchor="end">{max}</text><text x="{tx}" y="{b}" class="c-value" text-anchor="end">0</text>"#,
        b = top + plot_h,
        r = w - 10.0,
        tx = left - 4.0,
        ty = top + 10.0,
        max = max as i64
    );
    let mut points = String::new();
    for (i, (label, now, before)) in months.iter().enumerate() {
        let x = left + step * i as f64;
        let y = y_of(*now);
        let _ = write!(
            s,
            r#"<rect x="{:.1}" y="{y:.1}" width="{:.1}" height="{:.1}" class="c-now"/><text x="{:.1}" y="{:.1}" class="c-label" text-anchor="middle">{}</text>"#,
            x + step * 0.15,
            step * 0.7,
            top + plot_h - y,
            x + step / 2.0,
            h - 14.0,
            esc(label.rsplit('-').next().unwrap_or(label))
        );
        let _ = write!(points, "{:.1},{:.1} ", x + step / 2.0, y_of(*before));
    }
    let _ = write!(s, r#"<polyline points="{}" class="c-line" fill="none"/>"#, points.trim_end());
    s.push_str("</svg>");
    s
}

/// Where each prefecture sits on the schematic (column, row, width, height in grid cells),
/// roughly as they lie: Haixi across the west, Yushu and Golog in the south, the small eastern
/// divisions around Xining. A schematic, not the boundaries.
const TILES: &[(&str, f64, f64, f64, f64)] = &[
    ("632800", 0.0, 0.0, 4.0, 2.0),
    ("632200", 4.0, 0.0, 2.0, 1.0),
    ("630100", 6.0, 1.0, 1.0, 1.0),
    ("630200", 7.0, 1.0, 1.0, 1.0),
    ("632500", 4.0, 1.0, 2.0, 1.0),
    ("632300", 6.0, 2.0, 2.0, 1.0),
    ("632700", 0.0, 2.0, 4.0, 2.0),
    ("632600", 4.0, 2.0, 2.0, 2.0),
];

/// The 8 prefectures as tiles shaded by their count (darker: more), each named with its count.
pub fn prefecture_map(id: &str, title: &str, note: &str, rows: &[(String, String, i64)]) -> String {
    let cell = 72.0;
    let (w, h) = (8.0 * cell + 8.0, 4.0 * cell + 34.0);
    let max = rows.iter().map(|r| r.2).max().unwrap_or(0).max(1) as f64;
    let mut s = open(w as u32, h as u32, title, id);
    for (code, cx, cy, cw, ch) in TILES {
        let Some((_, name, n)) = rows.iter().find(|r| r.0 == *code) else { continue };
        // Five shades: the class carries the colour.
        let shade = if *n == 0 { 0 } else { 1 + ((*n as f64 / max) * 4.0).ceil().min(4.0) as u32 };
        let (x, y, ww, hh) = (cx * cell + 4.0, cy * cell + 4.0, cw * cell - 4.0, ch * cell - 4.0);
        let _ = write!(
            s,
            r#"<g data-code="{code}"><rect x="{x}" y="{y}" width="{ww}" height="{hh}" rx="8" class="c-tile c-shade{shade}"/><text x="{:.1}" y="{:.1}" class="c-tile-name" text-anchor="middle">{}</text><text x="{:.1}" y="{:.1}" class="c-tile-value" text-anchor="middle">{n}</text></g>"#,
            x + ww / 2.0,
            y + hh / 2.0 - 2.0,
            esc(name),
            x + ww / 2.0,
            y + hh / 2.0 + 18.0,
        );
    }
    let _ = write!(s, r#"<text x="4" y="{}" class="c-label">{}</text>"#, h - 8.0, esc(note));
    s.push_str("</svg>");
    s
}

/// A keyword cloud: words sized by how often they occur, laid out in rows (largest first).
pub fn cloud(id: &str, title: &str, words: &[(String, usize)]) -> String {
    let (w, line_h) = (600.0, 46.0);
    let max = words.iter().map(|(_, n)| *n).max().unwrap_or(1).max(1) as f64;
    let mut placed = String::new();
    let (mut x, mut y) = (8.0, line_h);
    for (i, (word, n)) in words.iter().enumerate() {
        let size = 14.0 + 22.0 * (*n as f64 / max).sqrt();
        let width = size * word.chars().map(|c| if c.is_ascii() { 0.6 } else { 1.0 }).sum::<f64>() + 16.0;
        if x + width > w {
            x = 8.0;
            y += line_h;
        }
        let _ = write!(
            placed,
            r#"<text x="{x:.1}" y="{y:.1}" font-size="{size:.0}" class="c-word c-word{}">{}<title>{} × {n}</title></text>"#,
            i % 3,
            esc(word),
            esc(word)
        );
        x += width;
    }
    let mut s = open(w as u32, (y + 16.0) as u32, title, id);
    s.push_str(&placed);
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_escaped_and_every_prefecture_is_drawn() {
        let svg = bars("b", "<t>", &[("A&B".into(), 3, Some(1))], ("now", "before"));
        assert!(svg.contains("&lt;t&gt;") && svg.contains("A&amp;B") && !svg.contains("<t>"));
        let rows: Vec<(String, String, i64)> =
            crate::domain::region::prefectures().iter().map(|p| (p.code.clone(), p.zh.clone(), 5)).collect();
        let map = prefecture_map("m", "map", "schematic", &rows);
        assert_eq!(map.matches("<g data-code=").count(), 8);
        for p in crate::domain::region::prefectures() {
            assert!(TILES.iter().any(|t| t.0 == p.code), "{} has a tile", p.code);
        }
    }

    #[test]
    fn the_trend_has_a_column_per_month() {
        let months: Vec<(String, i64, i64)> = (1..=12).map(|m| (format!("2026-{m:02}"), m, 12 - m)).collect();
        let svg = trend("t", "trend", &months, ("2026", "2025"));
        assert_eq!(svg.matches("class=\"c-now\"").count(), 13, "12 columns and the legend");
    }
}
