use super::*;

#[path = "jpeg_fixture.rs"]
mod jpeg_fixture;
use jpeg_fixture::jpeg_with_exif;

#[test]
fn removes_the_exif_block_of_a_jpeg() {
    let before = jpeg_with_exif();
    assert!(before.windows(11).any(|w| w == b"GPSLatitude"));
    let after = strip_location(EvidenceKind::Jpeg, &before).unwrap();
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
    let after = strip_location(EvidenceKind::Heic, &file).unwrap();
    assert_eq!(after.len(), file.len());
    assert!(after[exif].iter().all(|b| *b == 0));
    assert_eq!(&after[image.clone()], &file[image]);
    assert!(!after.windows(11).any(|w| w == b"GPSLatitude"));
}

#[test]
fn no_cut_or_corruption_of_a_heic_makes_it_panic() {
    let (file, _, exif) = heic_with_gps();
    for n in 0..file.len() {
        // Cut short, the file keeps its length (and all of it before the Exif item);
        // corrupted, it is stripped or refused.
        let cut = strip_location(EvidenceKind::Heic, &file[..n]).unwrap();
        assert_eq!(cut.len(), n);
        assert_eq!(cut[..n.min(exif.start)], file[..n.min(exif.start)]);
        let mut bad = file.clone();
        bad[n] ^= 0xFF;
        if let Ok(after) = strip_location(EvidenceKind::Heic, &bad) {
            assert_eq!(after.len(), bad.len());
        }
    }
}

#[test]
fn a_truncated_heic_is_left_as_it_is() {
    let (file, _, _) = heic_with_gps();
    let cut = file[..40].to_vec();
    assert_eq!(strip_location(EvidenceKind::Heic, &cut), Ok(cut));
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
    assert_eq!(strip_location(EvidenceKind::Heic, &file), Ok(file));
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
    assert_eq!(strip_location(EvidenceKind::Heic, &file), Ok(file));
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
            if let Ok(after) = strip_location(EvidenceKind::Heic, &file) {
                prop_assert_eq!(after.len(), file.len());
            }
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
            let _ = strip_location(kind, &[head, &tail].concat());
        }
    }
}

#[test]
fn leaves_a_pdf_alone() {
    let pdf = b"%PDF-1.4 GPSLatitude".to_vec();
    assert_eq!(strip_location(EvidenceKind::Pdf, &pdf), Ok(pdf));
}

#[test]
fn drops_every_app1_segment_of_a_jpeg_and_keeps_the_rest() {
    let seg = |marker: u8, payload: &[u8]| {
        let mut v = vec![0xFF, marker];
        v.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
        v.extend_from_slice(payload);
        v
    };
    let app0 = seg(0xE0, b"JFIF\0\x01\x02");
    let xmp = seg(0xE1, b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta exif:GPSLatitude='36,6N'/>");
    let dqt = seg(0xDB, &[0; 65]);
    // Image data may hold any bytes, those of an APP1 marker too.
    let scan = [seg(0xDA, &[1, 1, 0, 0, 63, 0]), vec![0x12, 0xFF, 0x00, 0xFF, 0xE1, 0x00, 0x04, 0xFF, 0xD9]].concat();
    let exif = jpeg_with_exif()[2..jpeg_with_exif().len() - 7].to_vec();
    // A fill byte before the Exif segment's marker.
    let file = [&[0xFF, 0xD8][..], &app0, &[0xFF], &exif, &xmp, &dqt, &scan].concat();
    let after = strip_location(EvidenceKind::Jpeg, &file).unwrap();
    assert_eq!(after, [&[0xFF, 0xD8][..], &app0, &dqt, &scan].concat());
}

/// A PNG chunk with a checksum that is not checked here.
fn chunk(typ: &[u8; 4], data: &[u8]) -> Vec<u8> {
    [&(data.len() as u32).to_be_bytes()[..], typ, data, &[1, 2, 3, 4]].concat()
}

#[test]
fn drops_the_exif_and_text_chunks_of_a_png() {
    let sig = b"\x89PNG\r\n\x1a\n";
    let (ihdr, idat, iend) = (chunk(b"IHDR", &[0; 13]), chunk(b"IDAT", b"eXIfGPS"), chunk(b"IEND", b""));
    let file = [
        &sig[..],
        &ihdr,
        &chunk(b"eXIf", b"MM\0*GPSLatitude"),
        &chunk(b"iTXt", b"XML:com.adobe.xmp\0\0\0\0\0GPSLatitude"),
        &chunk(b"tEXt", b"Raw profile type exif\0GPSLatitude"),
        &chunk(b"zTXt", b"Comment\0\0x"),
        &idat,
        &iend,
    ]
    .concat();
    let after = strip_location(EvidenceKind::Png, &file).unwrap();
    assert_eq!(after, [&sig[..], &ihdr, &idat, &iend].concat());
}

fn riff_chunk(fourcc: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let pad: &[u8] = if data.len() % 2 == 1 { &[0] } else { &[] };
    [&fourcc[..], &(data.len() as u32).to_le_bytes(), data, pad].concat()
}

#[test]
fn blanks_the_exif_and_xmp_chunks_of_a_webp_in_place() {
    // VP8X flags: alpha (0x10), EXIF (0x08), XMP (0x04).
    let vp8x = riff_chunk(b"VP8X", &[0x1C, 0, 0, 0, 9, 0, 0, 9, 0, 0]);
    let image = riff_chunk(b"VP8 ", b"IMAGE-DATA");
    let exif = riff_chunk(b"EXIF", b"MM\0*GPSLatitude=36.6N");
    let xmp = riff_chunk(b"XMP ", b"<x exif:GPSLatitude='36,6N'/>");
    let body = [&b"WEBP"[..], &vp8x, &image, &exif, &xmp].concat();
    let file = [&b"RIFF"[..], &(body.len() as u32).to_le_bytes(), &body].concat();
    let after = strip_location(EvidenceKind::Webp, &file).unwrap();
    assert_eq!(after.len(), file.len(), "the RIFF size at the start stays true");
    assert!(!after.windows(11).any(|w| w == b"GPSLatitude"));
    let start = 12 + vp8x.len() + image.len();
    assert_eq!(after[..20], file[..20]);
    assert_eq!(after[20], 0x10, "the flags no longer announce EXIF or XMP");
    assert_eq!(after[21..start], file[21..start]);
    let junk = |c: &[u8]| [&b"JUNK"[..], &c[4..8], &vec![0; c.len() - 8]].concat();
    assert_eq!(after[start..], [junk(&exif), junk(&xmp)].concat());
}

#[test]
fn a_heic_whose_exif_item_comes_before_its_meta_box_is_refused() {
    let (file, image, exif) = heic_with_gps();
    // Move `mdat` before `meta`, its items' offsets pointing back at it: the location would
    // already have been written when `meta` says where it is.
    let ftyp = u32::from_be_bytes(file[..4].try_into().unwrap()) as usize;
    let meta_len = u32::from_be_bytes(file[ftyp..ftyp + 4].try_into().unwrap()) as usize;
    let (mut meta, mdat) = (file[ftyp..ftyp + meta_len].to_vec(), &file[ftyp + meta_len..]);
    for (old, new) in [(image.start, image.start - meta_len), (exif.start, exif.start - meta_len)] {
        let at = meta.windows(4).position(|w| w == (old as u32).to_be_bytes()).expect("the item's offset");
        meta[at..at + 4].copy_from_slice(&(new as u32).to_be_bytes());
    }
    let moved = [&file[..ftyp], mdat, &meta].concat();
    assert_eq!(&moved[exif.start - meta_len + 4..exif.start - meta_len + 8], b"Exif");
    assert_eq!(strip_location(EvidenceKind::Heic, &moved), Err(Unreadable));
}

#[test]
fn a_heic_meta_box_larger_than_what_is_held_is_refused() {
    let mut file = boxed(b"ftyp", b"heic\0\0\0\0");
    file.extend(boxed(b"meta", &vec![0; MAX_HELD_BYTES]));
    assert_eq!(strip_location(EvidenceKind::Heic, &file), Err(Unreadable));
}

mod streaming {
    use super::*;
    use proptest::prelude::*;

    fn samples() -> Vec<(EvidenceKind, Vec<u8>)> {
        let webp = {
            let body = [&b"WEBP"[..], &riff_chunk(b"VP8X", &[0x08; 10]), &riff_chunk(b"EXIF", b"GPS")].concat();
            [&b"RIFF"[..], &(body.len() as u32).to_le_bytes(), &body].concat()
        };
        let png = [&b"\x89PNG\r\n\x1a\n"[..], &chunk(b"IHDR", &[0; 13]), &chunk(b"eXIf", b"GPS"), &chunk(b"IEND", b"")]
            .concat();
        vec![
            (EvidenceKind::Jpeg, jpeg_with_exif()),
            (EvidenceKind::Png, png),
            (EvidenceKind::Webp, webp),
            (EvidenceKind::Heic, heic_with_gps().0),
            (EvidenceKind::Pdf, b"%PDF-1.4 GPS".to_vec()),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 500, failure_persistence: None, ..ProptestConfig::default() })]

        /// However the file is cut into chunks on its way in, what is stored is the same.
        #[test]
        fn the_chunks_a_file_comes_in_do_not_change_what_is_stored(
            which in 0..5usize,
            tail in proptest::collection::vec(any::<u8>(), 0..64),
            cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..8),
        ) {
            let (kind, mut file) = samples().swap_remove(which);
            file.extend(tail);
            let whole = strip_location(kind, &file);
            let mut at: Vec<usize> = cuts.iter().map(|i| i.index(file.len() + 1)).collect();
            at.sort();
            let (mut s, mut out, mut from) = (Stripper::new(kind), Vec::new(), 0);
            let mut pushed = Ok(());
            for to in at.into_iter().chain([file.len()]) {
                pushed = pushed.and_then(|()| s.push(&file[from..to], &mut out));
                from = to;
            }
            let streamed = pushed.map(|()| {
                s.finish(&mut out);
                out
            });
            prop_assert_eq!(streamed, whole);
        }
    }
}
