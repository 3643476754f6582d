//! Removing location data from photos before they are stored: the EXIF block (where cameras
//! write GPS coordinates) of JPEG, PNG and WebP files, with the `img-parts` crate, which edits
//! the container without re-encoding the image; in HEIC files the bytes of the `Exif` and XMP
//! (`mime`) items are overwritten with zeros in place, so no offset in the file changes.

use crate::domain::evidence::EvidenceKind;
use img_parts::{Bytes, ImageEXIF};

/// The file without its EXIF block. A file the parser cannot read is returned unchanged (its
/// type was already checked from its bytes).
pub fn strip_location(kind: EvidenceKind, bytes: Vec<u8>) -> Vec<u8> {
    if kind == EvidenceKind::Heic {
        let mut bytes = bytes;
        heic::blank_metadata(&mut bytes);
        return bytes;
    }
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

/// Just enough of ISO-BMFF (ISO/IEC 14496-12) to find the metadata items of a HEIF file.
mod heic {
    fn be(b: &[u8], at: usize, n: usize) -> Option<u64> {
        let s = b.get(at..at.checked_add(n)?)?;
        Some(s.iter().fold(0u64, |acc, x| (acc << 8) | *x as u64))
    }

    /// The child boxes in `b[start..end]`: (type, payload start, box end).
    fn boxes(b: &[u8], start: usize, end: usize) -> Vec<([u8; 4], usize, usize)> {
        let mut out = Vec::new();
        let mut at = start;
        while at + 8 <= end {
            let Some(size) = be(b, at, 4) else { break };
            let mut typ = [0u8; 4];
            typ.copy_from_slice(&b[at + 4..at + 8]);
            let (header, size) = match size {
                1 => (16, be(b, at + 8, 8).and_then(|n| usize::try_from(n).ok()).unwrap_or(usize::MAX)),
                0 => (8, end - at),
                n => (8, usize::try_from(n).unwrap_or(usize::MAX)),
            };
            let Some(box_end) = at.checked_add(size) else { break };
            if size < header || box_end > end {
                break;
            }
            out.push((typ, at + header, box_end));
            at = box_end;
        }
        out
    }

    /// Ids of the items of type `Exif` or `mime` (XMP) listed in `iinf`.
    fn metadata_items(b: &[u8], start: usize, end: usize) -> Vec<u32> {
        let version = b[start];
        let mut at = start + 4 + if version == 0 { 2 } else { 4 };
        let mut ids = Vec::new();
        for (typ, p, e) in boxes(b, at.min(end), end) {
            at = e;
            if &typ != b"infe" || p + 4 > e {
                continue;
            }
            let v = b[p];
            if v < 2 {
                continue;
            }
            let (id, next) = if v == 2 { (be(b, p + 4, 2), p + 6) } else { (be(b, p + 4, 4), p + 8) };
            let item_type = b.get(next + 2..next + 6);
            if let (Some(id), Some(t)) = (id, item_type) {
                if t == b"Exif" || t == b"mime" {
                    ids.push(id as u32);
                }
            }
        }
        let _ = at;
        ids
    }

    /// (offset, length) of each extent stored in the file for `ids`, from `iloc`.
    fn extents(b: &[u8], start: usize, ids: &[u32]) -> Option<Vec<(usize, usize)>> {
        let version = *b.get(start)?;
        let mut at = start + 4;
        let sizes = be(b, at, 2)? as u16;
        at += 2;
        let (off_sz, len_sz, base_sz) =
            ((sizes >> 12) as usize, ((sizes >> 8) & 0xF) as usize, ((sizes >> 4) & 0xF) as usize);
        let idx_sz = if version >= 1 { (sizes & 0xF) as usize } else { 0 };
        let count = if version < 2 {
            let c = be(b, at, 2)?;
            at += 2;
            c
        } else {
            let c = be(b, at, 4)?;
            at += 4;
            c
        };
        let mut out = Vec::new();
        for _ in 0..count {
            let id = if version < 2 {
                let i = be(b, at, 2)?;
                at += 2;
                i
            } else {
                let i = be(b, at, 4)?;
                at += 4;
                i
            } as u32;
            let method = if version >= 1 {
                let m = be(b, at, 2)? & 0xF;
                at += 2;
                m
            } else {
                0
            };
            at += 2; // data_reference_index
            let base = be(b, at, base_sz).unwrap_or(0) as usize;
            at += base_sz;
            let n = be(b, at, 2)?;
            at += 2;
            for _ in 0..n {
                at += idx_sz;
                let off = be(b, at, off_sz).unwrap_or(0) as usize;
                at += off_sz;
                let len = be(b, at, len_sz).unwrap_or(0) as usize;
                at += len_sz;
                if ids.contains(&id) && method == 0 {
                    out.push((base.saturating_add(off), len));
                }
            }
        }
        Some(out)
    }

    /// Overwrites the bytes of the Exif and XMP items with zeros.
    pub fn blank_metadata(b: &mut [u8]) {
        let len = b.len();
        let Some(&(_, meta_start, meta_end)) = boxes(b, 0, len).iter().find(|(t, _, _)| t == b"meta") else { return };
        // `meta` is a full box: 4 bytes of version and flags before its children.
        let children = boxes(b, meta_start + 4, meta_end);
        let Some(&(_, iinf, iinf_end)) = children.iter().find(|(t, _, _)| t == b"iinf") else { return };
        let ids = metadata_items(b, iinf, iinf_end);
        let Some(&(_, iloc, _)) = children.iter().find(|(t, _, _)| t == b"iloc") else { return };
        for (off, n) in extents(b, iloc, &ids).unwrap_or_default() {
            if let Some(slice) = b.get_mut(off..off.saturating_add(n)) {
                slice.fill(0);
            }
        }
    }
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

    fn bx(typ: &[u8; 4], payload: &[u8]) -> Vec<u8> {
        let mut v = ((payload.len() + 8) as u32).to_be_bytes().to_vec();
        v.extend_from_slice(typ);
        v.extend_from_slice(payload);
        v
    }

    /// A HEIF skeleton: ftyp, meta (iinf with an `hvc1` image item 1 and an `Exif` item 2, iloc
    /// pointing at both in mdat), mdat.
    fn heic_with_gps() -> (Vec<u8>, std::ops::Range<usize>, std::ops::Range<usize>) {
        let image = b"IMAGEDATA".to_vec();
        let exif = b"\0\0\0\0Exif\0\0GPSLatitude=36.6N".to_vec();
        let infe = |id: u16, t: &[u8; 4]| {
            let mut p = vec![2, 0, 0, 0];
            p.extend_from_slice(&id.to_be_bytes());
            p.extend_from_slice(&[0, 0]);
            p.extend_from_slice(t);
            p.push(0);
            bx(b"infe", &p)
        };
        let mut iinf_p = vec![0, 0, 0, 0, 0, 2];
        iinf_p.extend(infe(1, b"hvc1"));
        iinf_p.extend(infe(2, b"Exif"));
        let iinf = bx(b"iinf", &iinf_p);
        let ftyp = bx(b"ftyp", b"heic\0\0\0\0mif1heic");
        // iloc v0: offset_size 4, length_size 4, base_offset_size 0; offsets filled in below.
        let iloc_len = 8 + 4 + 2 + 2 + 2 * (2 + 2 + 2 + 8);
        let meta_len = 8 + 4 + iinf.len() + iloc_len;
        let mdat_data = ftyp.len() + meta_len + 8;
        let (img_off, exif_off) = (mdat_data, mdat_data + image.len());
        let mut iloc_p = vec![0, 0, 0, 0, 0x44, 0x00, 0, 2];
        for (id, off, len) in [(1u16, img_off, image.len()), (2, exif_off, exif.len())] {
            iloc_p.extend_from_slice(&id.to_be_bytes());
            iloc_p.extend_from_slice(&[0, 0, 0, 1]);
            iloc_p.extend_from_slice(&(off as u32).to_be_bytes());
            iloc_p.extend_from_slice(&(len as u32).to_be_bytes());
        }
        let mut meta_p = vec![0, 0, 0, 0];
        meta_p.extend(iinf);
        meta_p.extend(bx(b"iloc", &iloc_p));
        let mut file = ftyp;
        file.extend(bx(b"meta", &meta_p));
        let mut mdat_p = image.clone();
        mdat_p.extend(&exif);
        file.extend(bx(b"mdat", &mdat_p));
        (file, img_off..img_off + image.len(), exif_off..exif_off + exif.len())
    }

    #[test]
    fn blanks_the_exif_item_of_a_heic_and_keeps_the_image() {
        let (file, image, exif) = heic_with_gps();
        assert_eq!(crate::domain::evidence::sniff(&file), Some(EvidenceKind::Heic));
        assert_eq!(&file[exif.clone()][4..8], b"Exif");
        let after = strip_location(EvidenceKind::Heic, file.clone());
        assert_eq!(after.len(), file.len());
        assert!(after[exif].iter().all(|b| *b == 0));
        assert_eq!(&after[image.clone()], &file[image]);
        assert!(!after.windows(11).any(|w| w == b"GPSLatitude"));
    }

    #[test]
    fn no_cut_or_corruption_of_a_heic_makes_it_panic() {
        let (file, _, _) = heic_with_gps();
        for n in 0..file.len() {
            strip_location(EvidenceKind::Heic, file[..n].to_vec());
            let mut bad = file.clone();
            bad[n] ^= 0xFF;
            strip_location(EvidenceKind::Heic, bad);
        }
    }

    #[test]
    fn a_truncated_heic_is_left_as_it_is() {
        let (file, _, _) = heic_with_gps();
        let cut = file[..40].to_vec();
        assert_eq!(strip_location(EvidenceKind::Heic, cut.clone()), cut);
    }

    #[test]
    fn leaves_a_pdf_alone() {
        let pdf = b"%PDF-1.4 GPSLatitude".to_vec();
        assert_eq!(strip_location(EvidenceKind::Pdf, pdf.clone()), pdf);
    }
}
