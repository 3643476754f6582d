//! Removing location data from photos before they are stored: the EXIF block (where cameras
//! write GPS coordinates) of JPEG, PNG and WebP files, with the `img-parts` crate, which edits
//! the container without re-encoding the image.

use crate::domain::evidence::EvidenceKind;
use img_parts::{Bytes, ImageEXIF};

/// The file without its EXIF block. A file the parser cannot read is returned unchanged (its
/// type was already checked from its bytes). HEIC containers are not edited (see README).
pub fn strip_location(kind: EvidenceKind, bytes: Vec<u8>) -> Vec<u8> {
    let input = Bytes::from(bytes);
    let stripped = match kind {
        EvidenceKind::Jpeg => img_parts::jpeg::Jpeg::from_bytes(input.clone()).ok().map(|mut j| {
            j.set_exif(None);
            j.encoder().bytes()
        }),
        EvidenceKind::Png => img_parts::png::Png::from_bytes(input.clone()).ok().map(|mut p| {
            p.set_exif(None);
            p.encoder().bytes()
        }),
        EvidenceKind::Webp => img_parts::webp::WebP::from_bytes(input.clone()).ok().map(|mut w| {
            w.set_exif(None);
            w.encoder().bytes()
        }),
        EvidenceKind::Heic | EvidenceKind::Pdf => None,
    };
    stripped.unwrap_or(input).to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal JPEG: SOI, an APP1 Exif segment holding a fake GPS tag, EOI.
    fn jpeg_with_exif() -> Vec<u8> {
        let payload = b"Exif\0\0MM\0*GPSLatitude=36.6N";
        let mut v = vec![0xFF, 0xD8, 0xFF, 0xE1];
        v.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
        v.extend_from_slice(payload);
        v.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x02, 0x00, 0xFF, 0xD9]);
        v
    }

    #[test]
    fn removes_the_exif_block_of_a_jpeg() {
        let before = jpeg_with_exif();
        assert!(before.windows(11).any(|w| w == b"GPSLatitude"));
        let after = strip_location(EvidenceKind::Jpeg, before);
        assert!(!after.windows(11).any(|w| w == b"GPSLatitude"));
        assert_eq!(&after[..2], &[0xFF, 0xD8]);
    }

    #[test]
    fn leaves_a_pdf_alone() {
        let pdf = b"%PDF-1.4 GPSLatitude".to_vec();
        assert_eq!(strip_location(EvidenceKind::Pdf, pdf.clone()), pdf);
    }
}
