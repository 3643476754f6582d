//! Property-based fuzzing of the multipart reader (`filing::read_multipart`), bounded so that
//! `cargo test` runs it every time: whatever bytes and boundary a client sends, the reader never
//! panics and answers either the fields or a 4xx; a well-formed body reads back as itself. The
//! seeds below are the corpus: bodies that once needed care (empty parts, a boundary inside the
//! data, a truncated last part, a header without a name, CRLF runs).

use crate::filing::read_multipart;
use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue};
use proptest::prelude::*;

const SEEDS: &[&[u8]] = &[
    b"--XYZ--\r\n",
    b"--XYZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\r\n--XYZ--\r\n",
    b"--XYZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.jpg\"\r\n\r\n\xFF\xD8\xFF--XYZ\r\n--XYZ--",
    b"--XYZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"\"\r\n\r\n%PDF-1.4",
    b"--XYZ\r\nContent-Disposition: form-data\r\n\r\nno name\r\n--XYZ--\r\n",
    b"--XYZ\r\n\r\n\r\n\r\n--XYZ--\r\n",
    b"\r\n\r\n--XYZ\r\nContent-Disposition: form-data; name=\"step\"\r\n\r\nevidence\r\n--XYZ--",
    b"--XYZ\r\nContent-Disposition: form-data; name=\"\xE4\xB8\xAD\"\r\n\r\n\xFF\xFE\r\n--XYZ--\r\n",
];

/// Keeps each file's bytes, as they stream in.
struct Collect;

impl crate::filing::Files for Collect {
    type File = Option<Vec<u8>>;

    async fn read(&mut self, mut field: multer::Field<'_>) -> Result<Option<Self::File>, multer::Error> {
        let mut bytes = Vec::new();
        while let Some(c) = field.chunk().await? {
            bytes.extend_from_slice(&c);
        }
        Ok((!bytes.is_empty()).then_some(Some(bytes)))
    }

    fn too_large(&self) -> Self::File {
        None
    }
}

fn read(content_type: &str, body: Vec<u8>) -> Result<(Vec<(String, String)>, Vec<Option<Vec<u8>>>), u16> {
    let mut headers = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(content_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    let rt = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
    rt.block_on(read_multipart(&headers, Body::from(body), &mut Collect))
        .map(|p| (p.text, p.files))
        .map_err(|res| res.status().as_u16())
}

/// A seed with bytes flipped, cut or inserted.
fn mutated() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::sample::select(SEEDS),
        proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 0..8),
        any::<prop::sample::Index>(),
    )
        .prop_map(|(seed, edits, cut)| {
            let mut v = seed.to_vec();
            for (at, byte, op) in edits {
                if v.is_empty() {
                    v.push(byte);
                    continue;
                }
                let i = at.index(v.len());
                match op {
                    0 => v[i] = byte,
                    1 => v.insert(i, byte),
                    _ => {
                        v.remove(i);
                    }
                }
            }
            if !v.is_empty() && cut.index(4) == 0 {
                v.truncate(cut.index(v.len()));
            }
            v
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 768, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn no_body_makes_the_reader_panic_or_fail_with_a_5xx(
        body in prop_oneof![mutated(), proptest::collection::vec(any::<u8>(), 0..600)],
        boundary in prop_oneof![Just("XYZ".to_owned()), "[ -~]{0,80}"],
    ) {
        let ct = format!("multipart/form-data; boundary={boundary}");
        if let Err(status) = read(&ct, body) {
            prop_assert!((400..500).contains(&status), "status {}", status);
        }
    }

    #[test]
    fn a_well_formed_body_reads_back_as_itself(
        fields in proptest::collection::vec(("[a-z_]{1,12}", "[^\r\n]{0,40}"), 0..6),
        file in proptest::collection::vec(any::<u8>(), 0..300),
    ) {
        let mut body = Vec::new();
        for (k, v) in &fields {
            body.extend_from_slice(format!("--B0und\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes());
        }
        // A PDF that cannot hold the boundary.
        let data: Vec<u8> = [b"%PDF-1.4 ".as_slice(), &file].concat().into_iter().map(|b| if b == b'-' { b'_' } else { b }).collect();
        body.extend_from_slice(b"--B0und\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n");
        body.extend_from_slice(&data);
        body.extend_from_slice(b"\r\n--B0und--\r\n");
        let (text, files) = read("multipart/form-data; boundary=B0und", body).expect("read");
        let expected: Vec<(String, String)> = fields.into_iter().collect();
        prop_assert_eq!(text, expected);
        prop_assert_eq!(files, vec![Some(data)]);
    }
}

#[test]
fn the_seeds_are_read_or_refused_with_a_4xx() {
    for seed in SEEDS {
        if let Err(status) = read("multipart/form-data; boundary=XYZ", seed.to_vec()) {
            assert!((400..500).contains(&status), "{status} for {:?}", String::from_utf8_lossy(seed));
        }
    }
    assert_eq!(read("text/plain", b"x".to_vec()).unwrap_err(), 400, "no boundary");
}
