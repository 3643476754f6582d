//! Evidence files: at most five per filing, each at most 10 MB, of a type recognised from the
//! file's own bytes (never from its name): JPEG, PNG, WebP, HEIC or PDF.

use super::error::Invalid;
use serde::{Deserialize, Serialize};

pub const MAX_FILES: usize = 5;
pub const MAX_BYTES: usize = 10 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EvidenceKind {
    Jpeg,
    Png,
    Webp,
    Heic,
    Pdf,
}

codes!(EvidenceKind { Jpeg => "jpeg", Png => "png", Webp => "webp", Heic => "heic", Pdf => "pdf" });

impl EvidenceKind {
    pub fn mime(self) -> &'static str {
        match self {
            EvidenceKind::Jpeg => "image/jpeg",
            EvidenceKind::Png => "image/png",
            EvidenceKind::Webp => "image/webp",
            EvidenceKind::Heic => "image/heic",
            EvidenceKind::Pdf => "application/pdf",
        }
    }

    pub fn is_image(self) -> bool {
        self != EvidenceKind::Pdf
    }
}

/// How many first bytes [`sniff`] needs to judge a file.
pub const SNIFF_BYTES: usize = 12;

/// The type of a file from its first bytes (its "magic number").
pub fn sniff(bytes: &[u8]) -> Option<EvidenceKind> {
    let at = |i: usize, m: &[u8]| bytes.get(i..i + m.len()) == Some(m);
    if at(0, &[0xFF, 0xD8, 0xFF]) {
        Some(EvidenceKind::Jpeg)
    } else if at(0, b"\x89PNG\r\n\x1a\n") {
        Some(EvidenceKind::Png)
    } else if at(0, b"RIFF") && at(8, b"WEBP") {
        Some(EvidenceKind::Webp)
    } else if at(0, b"%PDF-") {
        Some(EvidenceKind::Pdf)
    } else if at(4, b"ftyp")
        && [&b"heic"[..], b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"].iter().any(|b| at(8, b))
    {
        Some(EvidenceKind::Heic)
    } else {
        None
    }
}

/// Checks one more upload against the limits, given how many files the filing already has.
pub fn check_upload(bytes: &[u8], already: usize) -> Result<EvidenceKind, Invalid> {
    if already >= MAX_FILES {
        return Err(Invalid::TooManyFiles { max: MAX_FILES as u32 });
    }
    if bytes.is_empty() {
        return Err(Invalid::Required);
    }
    if bytes.len() > MAX_BYTES {
        return Err(Invalid::FileTooLarge { max_mb: (MAX_BYTES / (1024 * 1024)) as u32 });
    }
    sniff(bytes).ok_or(Invalid::FileType)
}

/// The evidence ids a form carries, comma-separated: at most [`MAX_FILES`], each 32 hex digits.
pub fn parse_ids(input: &str) -> Result<Vec<String>, Invalid> {
    let ids: Vec<String> = input.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect();
    if ids.len() > MAX_FILES {
        return Err(Invalid::TooManyFiles { max: MAX_FILES as u32 });
    }
    if ids.iter().any(|id| id.len() != 32 || !id.bytes().all(|b| b.is_ascii_hexdigit())) {
        return Err(Invalid::Choice);
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_each_allowed_type_by_its_bytes() {
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]), Some(EvidenceKind::Jpeg));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some(EvidenceKind::Png));
        assert_eq!(sniff(b"RIFF\x10\0\0\0WEBPVP8 "), Some(EvidenceKind::Webp));
        assert_eq!(sniff(b"%PDF-1.7\n"), Some(EvidenceKind::Pdf));
        assert_eq!(sniff(b"\0\0\0\x18ftypheic\0\0\0\0"), Some(EvidenceKind::Heic));
        assert_eq!(sniff(b"\0\0\0\x18ftypmif1\0\0\0\0"), Some(EvidenceKind::Heic));
    }

    #[test]
    fn refuses_other_types_whatever_their_name() {
        assert_eq!(sniff(b"<html><script>alert(1)</script>"), None);
        assert_eq!(sniff(b"GIF89a"), None);
        assert_eq!(sniff(b"\0\0\0\x18ftypisom"), None, "an MP4 video");
        assert_eq!(sniff(b"PK\x03\x04"), None, "a zip or office file");
        assert_eq!(sniff(b""), None);
        assert_eq!(check_upload(b"MZ\x90\0", 0), Err(Invalid::FileType));
    }

    #[test]
    fn enforces_size_and_count() {
        let mut big = vec![0xFF, 0xD8, 0xFF];
        big.resize(MAX_BYTES, 0);
        assert_eq!(check_upload(&big, 0), Ok(EvidenceKind::Jpeg));
        big.push(0);
        assert_eq!(check_upload(&big, 0), Err(Invalid::FileTooLarge { max_mb: 10 }));
        assert_eq!(check_upload(b"%PDF-1.4", 5), Err(Invalid::TooManyFiles { max: 5 }));
        assert_eq!(check_upload(b"", 0), Err(Invalid::Required));
    }

    #[test]
    fn evidence_ids_are_checked() {
        let id = "0123456789abcdef0123456789abcdef";
        assert_eq!(parse_ids(""), Ok(vec![]));
        assert_eq!(parse_ids(&format!("{id}, {id}")).unwrap().len(), 2);
        assert_eq!(parse_ids("../../etc/passwd"), Err(Invalid::Choice));
        assert_eq!(parse_ids(&[id; 6].join(",")), Err(Invalid::TooManyFiles { max: 5 }));
    }
}
