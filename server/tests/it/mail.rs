//! The test mail server (`scripts/smtp-up`: aiosmtpd keeping a Maildir), as the tests of
//! e-mail read it back.

/// The SMTP server named by `PORTAL_TEST_SMTP` and the Maildir it keeps messages in
/// (`PORTAL_TEST_MAILDIR`; `scripts/smtp-up` starts one). Tests fail (never skip) without them.
pub fn mail_server() -> (String, std::path::PathBuf) {
    let url = std::env::var("PORTAL_TEST_SMTP")
        .expect("PORTAL_TEST_SMTP must name an SMTP server, e.g. smtp://127.0.0.1:9325 (scripts/test starts one)");
    let dir =
        std::env::var("PORTAL_TEST_MAILDIR").expect("PORTAL_TEST_MAILDIR must name the test mail server's Maildir");
    (url, dir.into())
}

/// The messages the test mail server took for `to`: (headers, decoded body).
pub fn mails_to(maildir: &std::path::Path, to: &str) -> Vec<(String, String)> {
    use base64::Engine;
    let mut out = Vec::new();
    for entry in std::fs::read_dir(maildir.join("new")).unwrap().flatten() {
        let raw = String::from_utf8_lossy(&std::fs::read(entry.path()).unwrap()).replace("\r\n", "\n");
        let (head, body) = raw.split_once("\n\n").unwrap_or((&raw, ""));
        if !head.lines().any(|l| l.starts_with("To: ") && l.contains(to)) {
            continue;
        }
        let body = if head.contains("Content-Transfer-Encoding: base64") {
            let compact: String = body.split_whitespace().collect();
            String::from_utf8(base64::engine::general_purpose::STANDARD.decode(compact).unwrap()).unwrap()
        } else if head.contains("Content-Transfer-Encoding: quoted-printable") {
            quoted_printable(body)
        } else {
            body.to_owned()
        };
        out.push((head.to_owned(), body));
    }
    out
}

/// A quoted-printable body decoded (RFC 2045: `=` and a line end join lines, `=XX` is a byte).
pub fn quoted_printable(body: &str) -> String {
    let joined = body.replace("=\n", "");
    let b = joined.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = b.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok());
        match (b[i], hex) {
            (b'=', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap()
}
