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

    /// Big-endian fields read in turn, never past the end of the file.
    struct Cursor<'a> {
        b: &'a [u8],
        at: usize,
    }

    impl Cursor<'_> {
        fn take(&mut self, n: usize) -> Option<u64> {
            let v = be(self.b, self.at, n)?;
            self.at += n;
            Some(v)
        }

        fn skip(&mut self, n: usize) -> Option<()> {
            self.at = self.at.checked_add(n).filter(|&at| at <= self.b.len())?;
            Some(())
        }
    }

    /// Ids of the items of type `Exif` or `mime` (XMP) listed in `iinf`.
    fn metadata_items(b: &[u8], start: usize, end: usize) -> Vec<u32> {
        let Some(&version) = b.get(start) else { return Vec::new() };
        let first = start + 4 + if version == 0 { 2 } else { 4 };
        let item = |p: usize| {
            // `infe` version 2 or 3: id (2 or 4 bytes), protection index, item type.
            let v = *b.get(p)?;
            let mut c = Cursor { b, at: p + 4 };
            let id = c.take(match v {
                2 => 2,
                3 => 4,
                _ => return None,
            })?;
            c.skip(2)?;
            let item_type = b.get(c.at..c.at + 4)?;
            (item_type == b"Exif" || item_type == b"mime").then_some(id as u32)
        };
        boxes(b, first.min(end), end)
            .into_iter()
            .filter(|(typ, _, _)| typ == b"infe")
            .filter_map(|(_, p, _)| item(p))
            .collect()
    }

    /// (offset, length) of each extent stored in the file for `ids`, from `iloc`.
    fn extents(b: &[u8], start: usize, ids: &[u32]) -> Option<Vec<(usize, usize)>> {
        let version = *b.get(start)?;
        let mut c = Cursor { b, at: start + 4 };
        let sizes = c.take(2)?;
        let size = |shift: u32| ((sizes >> shift) & 0xF) as usize;
        let (off_sz, len_sz, base_sz) = (size(12), size(8), size(4));
        let idx_sz = if version >= 1 { size(0) } else { 0 };
        let id_sz = if version < 2 { 2 } else { 4 };
        let mut out = Vec::new();
        for _ in 0..c.take(id_sz)? {
            let id = c.take(id_sz)? as u32;
            let method = if version >= 1 { c.take(2)? & 0xF } else { 0 };
            c.skip(2)?; // data_reference_index
            let base = c.take(base_sz)? as usize;
            let n = c.take(2)?;
            if idx_sz + off_sz + len_sz == 0 {
                continue; // extents of no bytes: nothing to read, nothing to blank
            }
            for _ in 0..n {
                c.skip(idx_sz)?;
                let off = c.take(off_sz)? as usize;
                let len = c.take(len_sz)? as usize;
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

    /// A box: big-endian size, type, payload.
    fn boxed(typ: &[u8; 4], payload: &[u8]) -> Vec<u8> {
        let mut v = ((payload.len() + 8) as u32).to_be_bytes().to_vec();
        v.extend_from_slice(typ);
        v.extend_from_slice(payload);
        v
    }

    #[test]
    fn a_heic_whose_item_list_ends_the_file_is_left_as_it_is() {
        // 36 bytes: `ftyp`, then `meta` holding an `iinf` box with no payload at the very end.
        let mut file = boxed(b"ftyp", b"heic\0\0\0\0");
        file.extend(boxed(b"meta", &[&[0u8; 4][..], &boxed(b"iinf", &[])].concat()));
        assert_eq!(file.len(), 36);
        assert_eq!(strip_location(EvidenceKind::Heic, file.clone()), file);
    }

    #[test]
    fn empty_extents_are_skipped_without_reading() {
        // An `iloc` of version 1 whose field sizes are all zero, naming 65,535 extents per item:
        // nothing to read or blank, so the file comes back as it was.
        let mut iloc = vec![1, 0, 0, 0, 0x00, 0x00, 0x00, 0x02];
        for id in 1..=2u16 {
            iloc.extend_from_slice(&id.to_be_bytes());
            iloc.extend_from_slice(&[0, 0, 0, 0, 0xFF, 0xFF]);
        }
        let mut file = boxed(b"ftyp", b"heic\0\0\0\0");
        file.extend(boxed(
            b"meta",
            &[&[0u8; 4][..], &boxed(b"iinf", &[0, 0, 0, 0, 0, 0]), &boxed(b"iloc", &iloc)].concat(),
        ));
        assert_eq!(strip_location(EvidenceKind::Heic, file.clone()), file);
    }

    mod fuzz {
        use super::*;
        use proptest::prelude::*;

        /// HEIF files with a real box structure and random contents: an `iinf` of random
        /// `infe` items and an `iloc` of random bytes, so that the reader goes deep.
        fn heif() -> impl Strategy<Value = Vec<u8>> {
            let infe = (
                0..5u8,
                proptest::collection::vec(any::<u8>(), 0..16),
                prop::sample::select(vec![*b"Exif", *b"mime", *b"hvc1"]),
            )
                .prop_map(|(v, id, t)| boxed(b"infe", &[&[v, 0, 0, 0][..], &id, &[0, 0], &t].concat()));
            (
                proptest::collection::vec(infe, 0..4),
                0..4u8,
                proptest::collection::vec(any::<u8>(), 0..96),
                proptest::collection::vec(any::<u8>(), 0..64),
            )
                .prop_map(|(items, v, iloc, data)| {
                    let iinf = boxed(b"iinf", &[&[v, 0, 0, 0, 0, items.len() as u8][..], &items.concat()].concat());
                    let meta = boxed(b"meta", &[&[0u8; 4][..], &iinf, &boxed(b"iloc", &iloc)].concat());
                    [boxed(b"ftyp", b"heic\0\0\0\0mif1"), meta, boxed(b"mdat", &data)].concat()
                })
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

            #[test]
            fn no_heif_makes_the_stripper_panic_or_change_its_length(file in heif()) {
                let after = strip_location(EvidenceKind::Heic, file.clone());
                prop_assert_eq!(after.len(), file.len());
            }

            #[test]
            fn no_bytes_after_a_known_signature_make_the_stripper_panic(
                kind in prop::sample::select(vec![EvidenceKind::Jpeg, EvidenceKind::Png, EvidenceKind::Webp, EvidenceKind::Heic]),
                tail in proptest::collection::vec(any::<u8>(), 0..512),
            ) {
                let head: &[u8] = match kind {
                    EvidenceKind::Jpeg => &[0xFF, 0xD8, 0xFF, 0xE1],
                    EvidenceKind::Png => b"\x89PNG\r\n\x1a\n",
                    EvidenceKind::Webp => b"RIFF\0\0\0\0WEBPVP8X",
                    _ => b"\0\0\0\x18ftypheic",
                };
                strip_location(kind, [head, &tail].concat());
            }
        }
    }

    #[test]
    fn leaves_a_pdf_alone() {
        let pdf = b"%PDF-1.4 GPSLatitude".to_vec();
        assert_eq!(strip_location(EvidenceKind::Pdf, pdf.clone()), pdf);
    }
}
